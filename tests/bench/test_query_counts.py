"""Each measured page runs the same number of SQL statements on a small and a ten-times-larger data set."""


from bench.dataset import build
from bench.queries import all_counts
from portal.app import create_app
from portal.db import make_engine
from portal.migrate import upgrade


def _counts(tmp_path, cases: int) -> dict[str, int]:
    url = f"sqlite:///{tmp_path / f'bench-{cases}.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    data = build(engine, cases=cases, customers=cases // 4, changes=10)
    engine.dispose()
    app = create_app({"PORTAL_ENV": "test", "SECRET_KEY": "bench-query-counting-secret", "DATABASE_URL": url,
                      "RATELIMIT_ENABLED": False, "OUTBOX_DIR": str(tmp_path / "outbox"),
                      "PAGE_CACHE_SECONDS": 0})
    return all_counts(app, data)


def test_query_counts_per_page_do_not_grow_with_the_data_set(tmp_path):
    small, large = _counts(tmp_path, 100), _counts(tmp_path, 1000)
    assert small == large, {page: (small[page], large[page]) for page in small if small[page] != large[page]}
    assert small["my cases (agent)"] > 0 and small["customer case page"] > 0
    # The queues (one line per case, the header's count due today): a fixed, small number of statements. Each
    # row's customer, category and owner come joined to the page's statement: my cases reads the employee, the
    # count, the page, the cases helped on, the categories for the filter and the header's count (6); the team
    # queue adds the teams, and the load per person with its members (8).
    assert small["my cases (agent)"] == 6 and small["team queue (manager)"] == 8, small
    assert 0 < small["search results (manager)"] <= 12, small
    # The case view in two panes: the employee, the case (with its customer, owner, category and team), its
    # timeline and their authors, files, helpers, who else has it open, the customer's other cases and notes, the
    # offer, the header's count, and the reply templates the viewer may insert (their team's and their own, filled
    # in Python from what the page has read): 12. The colleague pickers are on the action pages.
    assert small["staff case page (agent)"] == 12, small
