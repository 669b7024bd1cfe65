from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user

from portal.auth.access import role_required
from portal.auth.models import Role
from portal.db import db, utcnow
from portal.inputs import db_int, optional_db_int
from portal.metrics import dashboard, pages, reports, targets
from portal.metrics.periods import PRESETS, Period, PeriodRefused, period_for
from portal.organisation import organisation_name
from portal.web import org_zone

bp = Blueprint("metrics", __name__, url_prefix="/staff/metrics")



def _date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _choices() -> tuple[Period | None, str, dict[str, str]]:
    """The period and options from the query string, so a view survives a reload and can be shared."""
    preset = request.args.get("period", "90d")
    preset = preset if preset in PRESETS else "90d"
    options = {
        "period": preset,
        "from": request.args.get("from", ""),
        "to": request.args.get("to", ""),
        "group": request.args.get("group", "team") if request.args.get("group") in dashboard.GROUPINGS else "team",
        "grain": "month" if request.args.get("grain") == "month" else "week",
        "team": request.args.get("team", ""),
    }
    try:
        period = period_for(preset, today=utcnow().astimezone(org_zone()).date(), zone=org_zone(),
                            start=_date("from"), end=_date("to"))
    except PeriodRefused as refused:
        return None, str(refused), options
    return period, "", options


def _build():
    period, problem, options = _choices()
    scope = dashboard.scope_for(db.session, current_user)
    team_id = optional_db_int(options["team"])
    data = None
    if period is not None:
        data = dashboard.build(db.session, period, scope, now=utcnow(), zone=org_zone(), group_by=options["group"],
                               grain=options["grain"], team_id=team_id)
    return data, problem, options, scope, team_id


@bp.get("/")
@role_required(Role.manager)
def index():
    data, problem, options, scope, team_id = _build()
    context = {"data": data, "problem": problem, "options": options, "presets": PRESETS,
               "groupings": dashboard.GROUPINGS, "teams": dashboard.visible_teams(db.session, scope),
               "targets": targets.TARGETS, "columns": reports.ON_PAGE, "drilldowns": dashboard.DRILLDOWNS}
    if data is not None:
        context.update(pages.dashboard_extras(db.session, data, scope, team_id=team_id, zone=org_zone()))
    return render_template("metrics/dashboard.html", **context), 200 if not problem else 422


@bp.get("/report.pdf")
@role_required(Role.manager)
def monthly_report() -> Response:
    """The month's figures as a PDF: ?month=2026-10 (the last whole month by default)."""
    from portal.pdf import render_pdf
    from portal.rendering import environment

    today = utcnow().astimezone(org_zone()).date()
    report = pages.month_report(db.session, pages.month_of(request.args.get("month", ""), today=today),
                                dashboard.scope_for(db.session, current_user), today=today, now=utcnow(),
                                zone=org_zone())
    # A PDF, not a page: rendered like the letters and e-mails, with no request's helpers.
    html = environment(org_zone().key).get_template("metrics/report.html").render(
        **vars(report), targets=targets.TARGETS, columns=reports.ON_PAGE,
        org=organisation_name(db.session), seconds_words=reports.seconds_words)
    return Response(render_pdf(html), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="make-it-right-{report.month:%Y-%m}.pdf"'})


@bp.get("/<any(breakdown, trend, channels):table>.csv")
@role_required(Role.manager)
def download(table: str) -> Response:
    data, problem, options, _scope, _team_id = _build()
    if data is None:
        abort(400)
    header, rows = {
        "breakdown": ([dashboard.GROUPINGS[options["group"]], *reports.COLUMNS],
                      reports.breakdown_rows(data.breakdown)),
        "trend": (["Week" if data.grain == "week" else "Month", *reports.COLUMNS], reports.trend_rows(data)),
        "channels": (["Channel", *reports.CHANNEL_COLUMNS], reports.channel_rows(data)),
    }[table]
    first_day, last_day = data.period.days(org_zone())
    filename = f"make-it-right-{table}-{first_day:%Y%m%d}-{last_day:%Y%m%d}.csv"
    return Response(reports.to_csv(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/cases")
@role_required(Role.manager)
def cases():
    period, problem, options, = _choices()
    figure = request.args.get("figure", "all")
    if period is None or figure not in dashboard.DRILLDOWNS:
        abort(404)
    scope = dashboard.scope_for(db.session, current_user)
    team_id = optional_db_int(options["team"])
    result = dashboard.drilldown(db.session, period, scope, figure, as_of=min(period.end, utcnow()),
                                 team_id=team_id, group=request.args.get("group_by", ""),
                                 key=request.args.get("key", type=db_int),
                                 page=request.args.get("page", 1, type=db_int) or 1)
    return render_template(
        "metrics/cases.html", rows=result.items, total=result.total, page=result.page, pages=result.pages,
        title=dashboard.DRILLDOWNS[figure][0], period=period, options=options, whose=result.whose,
        days=period.days(org_zone()), show_calls=figure in dashboard.CALL_DRILLDOWNS,
        show_channel=not figure.startswith("channel_"),
        seconds_words=reports.seconds_words,
        has_case_page="staff.case" in current_app.view_functions,
    )
