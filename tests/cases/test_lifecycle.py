"""The case lifecycle: every (status, action) pair against the table, and no status set anywhere but through it."""

import ast
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.cases import lifecycle
from portal.cases.lifecycle import TRANSITIONS, Action, LifecycleRefused
from portal.cases.models import CaseStatus, Event, EventKind
from tests.factories import make_case, make_employee

S = CaseStatus
OPEN = {S.new, S.acknowledged, S.remedy_offered, S.remedy_chosen, S.reopened}
EVERY = set(S)
# The lifecycle as the product describes it (DESIGN.md: new → acknowledged → remedy_offered → remedy_chosen →
# resolved → closed, with reopened and withdrawn), written out once more so that a change to the table is a choice.
EXPECTED = {
    Action.first_reply: ({S.new}, S.acknowledged, EventKind.status),
    Action.acknowledge: (EVERY - {S.acknowledged, S.withdrawn}, S.acknowledged, EventKind.status),
    Action.send_offer: ({S.new, S.acknowledged, S.reopened}, S.remedy_offered, EventKind.offer_sent),
    Action.choose_remedy: (OPEN, S.remedy_chosen, EventKind.remedy_chosen),
    Action.decline_offer: (OPEN, S.acknowledged, EventKind.counter_proposal),
    Action.expire_offer: ({S.remedy_offered}, S.acknowledged, EventKind.offer_expired),
    Action.fulfil: ({S.remedy_chosen}, S.resolved, EventKind.remedy_fulfilled),
    Action.resolve: (EVERY - {S.resolved, S.withdrawn}, S.resolved, EventKind.status),
    Action.close: ({S.resolved}, S.closed, EventKind.status),
    Action.reopen: ({S.resolved, S.closed}, S.reopened, EventKind.status),
    Action.reopen_after_rating: ({S.resolved, S.closed}, S.reopened, EventKind.reopened),
    Action.withdraw: (EVERY - {S.withdrawn, S.closed}, S.withdrawn, EventKind.withdrawn),
}
PAIRS = [(status, action) for status in S for action in Action]


def test_the_table_is_the_lifecycle_the_product_describes():
    assert set(TRANSITIONS) == set(Action)
    for action, (allowed_from, to, kind) in EXPECTED.items():
        transition = TRANSITIONS[action]
        assert (set(transition.allowed_from), transition.to, transition.kind) == (allowed_from, to, kind), action


@pytest.mark.parametrize(("status", "action"), PAIRS, ids=[f"{s.value}-{a.value}" for s, a in PAIRS])
def test_every_status_and_action(session, status, action):
    owner = make_employee(session)
    case = make_case(session, owner=owner, status=status)
    session.flush()
    before = session.scalar(select(Event.id).where(Event.case_id == case.id).order_by(Event.id.desc()).limit(1))
    allowed_from, to, kind = EXPECTED[action]
    if status not in allowed_from:
        with pytest.raises(LifecycleRefused):
            lifecycle.move(session, case, action, by=owner)
        session.flush()
        assert case.status is status
        assert session.scalars(select(Event).where(Event.case_id == case.id, Event.id > (before or 0))).all() == []
        return
    event = lifecycle.move(session, case, action, by=owner, reason="Because")
    session.flush()
    assert case.status is to
    assert (event.kind, event.detail["from"], event.detail["to"], event.detail["reason"]) == (
        kind, status.value, to.value, "Because")
    assert event.public is (action is not Action.expire_offer)  # an expiry is for staff; the rest the customer sees
    if to is S.resolved:
        assert case.resolved_at == event.at
    if to in (S.closed, S.withdrawn):
        assert case.closed_at == event.at
    if action is Action.reopen_after_rating:
        assert case.closed_at is None
    if to is S.reopened:  # by hand as well: a reopened case is not closed
        assert case.closed_at is None
    assert case.updated_at == event.at


def test_questions_pages_ask_follow_the_table(session):
    closed = make_case(session, status=S.closed)
    offered = make_case(session, status=S.remedy_offered)
    assert (closed.is_open, closed.can_reply, closed.can_reopen, closed.can_offer) == (False, False, True, False)
    assert (offered.is_open, offered.can_reply, offered.can_reopen, offered.can_offer) == (True, True, False, False)
    assert "no new offer can be made now" in lifecycle.why_no_offer(offered)


PORTAL = Path(__file__).resolve().parents[2] / "portal"


def status_writes(tree: ast.AST) -> list[str]:
    """Where a case's status is written: `x.case.status = …`, `case.status = …`, anything set to a CaseStatus,
    `Case(status=…)`, and `update(Case)…values(status=…)`."""
    found = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
            if isinstance(node, ast.AugAssign | ast.AnnAssign) else []
        for target in (t for each in targets for t in (each.elts if isinstance(each, ast.Tuple) else [each])):
            if isinstance(target, ast.Attribute) and target.attr == "status":
                owner, value = ast.unparse(target.value), ast.unparse(node.value) if node.value else ""
                if owner.split(".")[-1] in ("case", "c") or "CaseStatus" in value:
                    found.append(f"line {node.lineno}: {ast.unparse(node)}")
        if isinstance(node, ast.Call):
            called = ast.unparse(node.func)
            if (called == "Case" or called.endswith(".values") and "update(Case)" in called) and any(
                    k.arg == "status" for k in node.keywords):
                found.append(f"line {node.lineno}: {ast.unparse(node)[:80]}")
    return found


def test_no_status_is_set_outside_the_lifecycle():
    writes = {}
    for path in PORTAL.rglob("*.py"):
        if path.name == "lifecycle.py" and path.parent.name == "cases":
            continue
        found = status_writes(ast.parse(path.read_text()))
        if found:
            writes[str(path.relative_to(PORTAL))] = found
    assert writes == {}, "set the status through portal.cases.lifecycle.move instead"
    lifecycle_writes = status_writes(ast.parse((PORTAL / "cases" / "lifecycle.py").read_text()))
    assert len(lifecycle_writes) == 1  # the reading does see a write: the one in move()


def test_the_reading_finds_each_way_of_writing_a_status():
    code = ("case.status = CaseStatus.closed\noffer.case.status = x\nrow.status = CaseStatus.new\n"
            "Case(reference='r', status=s)\nupdate(Case).values(status=s)\noffer.status = OfferStatus.sent\n")
    assert len(status_writes(ast.parse(code))) == 5
    assert len(status_writes(ast.parse("case.status, case.updated_at = CaseStatus.new, now\n"))) == 1
