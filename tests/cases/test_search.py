"""The staff search on both databases: what it finds, in which order, for whom, marked how, and what it survives."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event, select, text

from portal.auth.models import Role
from portal.cases import search, search_postgres
from portal.cases.customers import matching_customers
from portal.cases.models import Case, CaseHelper, EventKind
from portal.cases.permissions import can_view
from portal.cases.search_terms import mark_words, parse
from portal.cases.timeline import record
from tests.factories import make_case, make_category, make_customer, make_employee, make_team

HOSTILE = [
    '"', '""', "'", "*", "turnstile*", "NEAR(", "NEAR(turnstile season, 2)", "AND", "OR", "NOT", "turnstile AND",
    "AND turnstile", "NOT turnstile", "-", "--", "-turnstile", "(((", ")", "^turnstile", "turnstile:", "col:x",
    "reference:MIR", "what_happened:turnstile", "{a b}", "\\", "%", "_", "%_%", "'; DROP TABLE \"case\"; --",
    "\x00", "turn\x00stile", "\x00\x01\x1f", "x" * 5000, "💥", "<script>alert(1)</script>", "a\u2028b", "@", "+",
    "+44", "0", "MIR-", "!!!", "& | !", "turnstile & season", "turnstile | season", "!turnstile", "'turnstile':*",
    "<->", "turnstile <-> season", '"unclosed phrase', 'nested "quotes "inside" here"',
]


@pytest.fixture
def club(session):
    tickets, catering = make_team(session, "Ticket Office"), make_team(session, "Catering")
    people = {
        "maria": make_employee(session, name="Maria Lopez", team=tickets),
        "tom": make_employee(session, name="Tom Fletcher", team=tickets),
        "sam": make_employee(session, name="Sam Whitaker", team=catering),
        "priya": make_employee(session, name="Priya Shah", role=Role.manager, team=tickets),
        "grace": make_employee(session, name="Grace Okafor", role=Role.manager, team=catering),
        "alex": make_employee(session, name="Alex Morgan", role=Role.admin),
    }
    tickets.manager, catering.manager = people["priya"], people["grace"]
    seats, food = make_category(session, team=tickets, name="Tickets"), make_category(session, team=catering)
    olivia = make_customer(session, name="Olivia Taylor", email="olivia@fans.example")
    olivia.phone = "+44 7700 900123"
    james = make_customer(session, name="James Smith", email="james@fans.example")
    ravi = make_customer(session, name="Ravi Patel", email="ravi@fans.example")
    turnstile = make_case(session, owner=people["maria"], customer=olivia, category=seats,
                          what_happened="The turnstile refused my season ticket at the north stand.")
    turnstile.booking_reference = "BK-2026-0042"
    in_reply = make_case(session, owner=people["tom"], customer=james, category=seats,
                         what_happened="My seat was taken by someone else at the cup match.")
    record(session, in_reply, EventKind.reply, by=people["tom"], public=True,
           body="Sorry about that: the turnstile staff should have checked the seat.")
    record(session, in_reply, EventKind.note, by=people["tom"], body="Refunded the parking fee as a gesture.")
    catering_case = make_case(session, owner=people["sam"], customer=ravi, category=food,
                              what_happened="The pie at the turnstile kiosk was cold.")
    session.commit()
    return {**people, "olivia": olivia, "james": james, "ravi": ravi, "turnstile": turnstile,
            "in_reply": in_reply, "catering": catering_case, "seats": seats}


def _found(session, typed, who, **options):
    return [hit.case for hit in search.search(session, typed, who, **options).cases]


def test_words_in_what_happened_rank_above_words_in_a_reply(session, club):
    found = _found(session, "turnstile", club["priya"])
    assert found == [club["turnstile"], club["in_reply"]]


def test_more_of_the_words_ranks_higher(session, club):
    extra = make_case(session, owner=club["maria"], category=club["seats"],
                      what_happened="A steward at the north stand was rude to my son.")
    session.commit()
    found = _found(session, "north stand", club["priya"])
    assert set(found) == {club["turnstile"], extra}
    assert _found(session, "turnstile north stand", club["priya"]) == [club["turnstile"]]


def test_words_of_replies_and_notes_are_found(session, club):
    assert _found(session, "parking", club["tom"]) == [club["in_reply"]]
    hit = search.search(session, "parking", club["tom"]).cases[0]
    assert hit.found_in == "Internal note" and "<mark>parking</mark>" in hit.snippet


def test_a_word_added_later_is_found_and_a_changed_text_forgets_the_old_words(session, club):
    record(session, club["turnstile"], EventKind.customer_reply, by_customer=True, public=True,
           body="Also the floodlights flickered all evening.")
    session.commit()
    assert _found(session, "floodlights", club["maria"]) == [club["turnstile"]]
    club["turnstile"].what_happened = "The gate scanner refused my ticket."
    session.commit()
    assert _found(session, "north", club["maria"]) == []
    assert _found(session, "scanner", club["maria"]) == [club["turnstile"]]


def test_a_timeline_entry_reworded_or_removed_takes_its_words_with_it(session, club):
    draft = record(session, club["turnstile"], EventKind.draft_reply, by=club["maria"],
                   body="We will post a voucher for the floodlights.")
    record(session, club["turnstile"], EventKind.note, by=club["maria"], body="Checked the gate logs.")
    session.commit()
    assert _found(session, "voucher", club["maria"]) == [club["turnstile"]]
    draft.body = "We will refund the ticket instead."
    session.commit()
    assert _found(session, "voucher", club["maria"]) == []
    assert _found(session, "refund ticket", club["maria"]) == [club["turnstile"]]
    assert _found(session, "gate logs", club["maria"]) == [club["turnstile"]]  # the other entry's words stay
    session.delete(draft)
    session.commit()
    assert _found(session, "refund ticket", club["maria"]) == []
    assert _found(session, "gate logs", club["maria"]) == [club["turnstile"]]


def _statistics_counted(session) -> bool:
    """PostgreSQL: ANALYZE now, so that the search sees which words are common (as autovacuum would: committed,
    so that the next search, in a transaction of its own, sees when)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    session.commit()
    session.execute(text('ANALYZE "case"'))
    session.commit()
    return True


@contextmanager
def _statements(session):
    """The SQL statements sent while the block runs."""
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(session.get_bind(), "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", seen)


def test_a_word_grown_common_since_the_last_analyze_is_walked_after_the_next(session, club, monkeypatch):
    # PostgreSQL reads which words are common once per ANALYZE: a word rare at one is asked of the index, and once
    # the next ANALYZE has counted it in many cases, walked newest first.
    if not _statistics_counted(session):
        pytest.skip("PostgreSQL chooses between its index and a walk; SQLite always asks FTS5")
    monkeypatch.setattr(search, "CANDIDATES", 2)
    monkeypatch.setattr(search_postgres, "RARE_MATCHES", 5)
    with _statements(session) as rare:
        search.search(session, "floodlight", club["maria"])
    newer = [make_case(session, owner=club["maria"], category=club["seats"],
                       what_happened=f"The floodlight over block {n} failed.") for n in range(30)]
    session.commit()
    with _statements(session) as before_analyze:
        results = search.search(session, "floodlight", club["maria"])
    assert [h.case for h in results.cases] == newer[:-3:-1]
    _statistics_counted(session)
    with _statements(session) as after_analyze:
        results = search.search(session, "floodlight", club["maria"])
    assert [h.case for h in results.cases] == newer[:-3:-1]
    walked = [s for s in after_analyze if "ts_match_vq" in s]
    assert not any("ts_match_vq" in s for s in rare + before_analyze) and walked


def test_a_common_word_is_walked_newest_first_and_a_rare_one_asked_of_the_index(session, club, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 2)
    monkeypatch.setattr(search_postgres, "RARE_MATCHES", 5)
    for _ in range(3):
        make_case(session, owner=club["maria"], category=club["seats"], what_happened="A floodlight failed.")
    newer = [make_case(session, owner=club["maria"], category=club["seats"],
                       what_happened=f"The floodlight over block {n} failed.") for n in range(30)]
    session.commit()
    postgres = _statistics_counted(session)
    with _statements(session) as statements:
        results = search.search(session, "floodlight", club["maria"])
    assert [h.case for h in results.cases] == newer[:-3:-1] and results.capped and not results.looked_back
    if postgres:  # the cases' own words walked (ts_match_vq), the timelines' (none hold it) asked of the index
        assert any("ts_match_vq" in s and 'ts_rank("case".search_vector' in s for s in statements)
        assert any("MATERIALIZED" in s and 'ts_rank("case".timeline_vector' in s for s in statements)


def test_a_common_word_only_in_other_teams_cases_is_walked_so_far_then_everywhere_on_request(session, club,
                                                                                           monkeypatch):
    # PostgreSQL: "floodlight" is common (in catering's cases), so Maria's search walks the newest cases, at most
    # MAX_WALK of them, and says so; everywhere=True asks the index for the rest. SQLite always looks everywhere.
    monkeypatch.setattr(search, "CANDIDATES", 2)
    monkeypatch.setattr(search_postgres, "RARE_MATCHES", 5)
    monkeypatch.setattr(search_postgres, "MAX_WALK", 20)
    food = make_category(session, team=club["sam"].team, name="Kiosks")
    older = [make_case(session, owner=club["maria"], category=club["seats"], what_happened="A floodlight failed.")
             for _ in range(3)]
    for n in range(40):
        make_case(session, owner=club["sam"], category=food, what_happened=f"The floodlight over kiosk {n} failed.")
    session.commit()
    if _statistics_counted(session):
        walked = search.search(session, "floodlight", club["maria"])
        assert walked.cases == [] and walked.looked_back == 20
    results = search.search(session, "floodlight", club["maria"], everywhere=True)
    assert [h.case for h in results.cases] == [older[2], older[1]] and not results.looked_back
    assert {h.case for h in search.search(session, "floodlight", club["sam"]).cases} <= set(session.scalars(
        select(Case).where(Case.category_id == food.id)))


def test_stems_match_on_both_databases(session, club):
    assert club["turnstile"] in _found(session, "refusing", club["maria"])


def test_matching_words_are_marked_and_the_text_escaped(session, club):
    hostile = make_case(session, owner=club["maria"], category=club["seats"],
                        what_happened='<script>alert("x")</script> The floodlight & the <b>scoreboard</b> failed.')
    session.commit()
    hit = search.search(session, "floodlight", club["maria"]).cases[0]
    assert hit.case == hostile
    html = str(hit.snippet)
    assert "<mark>floodlight</mark>" in html
    # Every tag the customer typed is escaped (SQLite) or dropped by ts_headline (PostgreSQL): only <mark> is HTML.
    assert "<" not in html.replace("<mark>", "").replace("</mark>", "") and "&amp;" in html
    assert str(mark_words("Tom & <i>Jerry</i>", ["amp", "i"])) == \
        "Tom &amp; &lt;<mark>i</mark>&gt;Jerry&lt;/<mark>i</mark>&gt;"


def test_a_reference_typed_exactly_jumps_to_the_case_only_for_those_who_may_see_it(session, club):
    reference = club["turnstile"].reference
    assert search.jump_target(session, f"  {reference.lower()} ", club["maria"]) == club["turnstile"]
    assert search.jump_target(session, reference, club["sam"]) is None
    assert search.jump_target(session, reference[:-1], club["maria"]) is None
    assert search.jump_target(session, "\x00", club["maria"]) is None


def test_a_booking_reference_finds_its_case(session, club):
    assert _found(session, "BK-2026-0042", club["maria"]) == [club["turnstile"]]


def test_customers_by_name_address_and_phone(session, club):
    olivia = club["olivia"]
    assert matching_customers(session, "Olivia Taylor") == [olivia]
    assert matching_customers(session, "oliv tay") == [olivia]
    assert matching_customers(session, "OLIVIA@Fans.Example") == [olivia]
    assert matching_customers(session, "07700 900123") == [olivia]
    assert matching_customers(session, "+44 (0)7700-900-123") == [olivia]
    assert matching_customers(session, "447700900123") == [olivia]
    assert matching_customers(session, "07700 900124") == []
    assert matching_customers(session, "") == []
    assert len(matching_customers(session, "fans", limit=2)) == 2


def test_a_customer_found_brings_their_cases_first(session, club):
    results = search.search(session, "07700 900123", club["maria"])
    assert [c.customer for c in results.customers] == [club["olivia"]]
    assert [h.case for h in results.cases] == [club["turnstile"]]
    by_name = search.search(session, "Olivia", club["maria"])
    assert str(by_name.customers[0].name) == "<mark>Olivia</mark> Taylor"
    assert str(by_name.cases[0].customer_name) == "<mark>Olivia</mark> Taylor"


def test_an_agent_never_sees_another_teams_case_or_customer(session, club):
    sam = club["sam"]
    assert _found(session, "turnstile", sam) == [club["catering"]]
    assert _found(session, "parking", sam) == []
    assert _found(session, "season ticket", sam) == []
    nobody = search.search(session, "Olivia", sam)
    assert nobody.cases == [] and nobody.customers == [] and nobody.total == 0
    assert matching_customers(session, "07700 900123", visible_to=sam) == []
    assert _found(session, "BK-2026-0042", sam) == []
    assert club["catering"] not in _found(session, "turnstile", club["maria"])
    assert club["catering"] not in _found(session, "turnstile", club["priya"])


def test_a_helper_finds_the_case_they_help_on(session, club):
    session.add(CaseHelper(case_id=club["turnstile"].id, employee_id=club["sam"].id, added_by_id=club["maria"].id))
    session.commit()
    assert set(_found(session, "turnstile", club["sam"])) == {club["turnstile"], club["catering"]}


def test_what_each_person_finds_is_exactly_what_they_may_open(session, club):
    session.add(CaseHelper(case_id=club["catering"].id, employee_id=club["tom"].id, added_by_id=club["sam"].id))
    gone = make_employee(session, name="Left Already", team=club["turnstile"].category.team, active=False)
    session.commit()
    every_case = list(session.scalars(select(Case)))
    for who in [*(club[n] for n in ("maria", "tom", "sam", "priya", "grace", "alex")), gone]:
        found = set(_found(session, "the", who, per_page=100)) | set(_found(session, "turnstile", who, per_page=100))
        may = {c for c in every_case if can_view(session, who, c)}
        assert found <= may, who.name
        assert set(_found(session, "turnstile", who, per_page=100)) == \
            {c for c in may if c in (club["turnstile"], club["in_reply"], club["catering"])}, who.name


def test_pages_follow_a_keyset_with_nothing_twice_and_nothing_left_out(session, club):
    made = {make_case(session, owner=club["maria"], category=club["seats"],
                      what_happened=f"The floodlight failed {'again ' * (n % 4)}in minute {n}.") for n in range(23)}
    session.commit()
    seen, after, pages = [], None, 0
    while True:
        results = search.search(session, "floodlight", club["maria"], after=after, per_page=5)
        assert results.total == 23
        seen += [h.case for h in results.cases]
        pages += 1
        after = results.next_after
        if after is None:
            break
    assert pages == 5 and len(seen) == 23 and set(seen) == made
    scores = [search.search(session, "floodlight", club["maria"], per_page=30).cases]
    assert [h.score for h in scores[0]] == sorted((h.score for h in scores[0]), reverse=True)


@pytest.mark.parametrize("cursor", ["", "x", "1.0", "nan_3", "inf_3", "1.0_-1", "1.0_99999999999999999999999",
                                    "_", "1e309_1", "\x00_1", "1.0_1_1"])
def test_a_broken_cursor_starts_again_at_the_first_page(session, club, cursor):
    results = search.search(session, "turnstile", club["priya"], after=cursor)
    assert [h.case for h in results.cases] == [club["turnstile"], club["in_reply"]]


def test_hostile_input_is_only_words(session, club):
    for typed in HOSTILE:
        results = search.search(session, typed, club["priya"])
        assert results.total == len(results.cases) or results.next_after, typed
        matching_customers(session, typed)
        search.jump_target(session, typed, club["priya"])
        session.rollback()
    assert _found(session, "turn\x00stile", club["priya"]) == []
    assert _found(session, "\x00turnstile", club["priya"]) == [club["turnstile"], club["in_reply"]]
    assert _found(session, '"north stand"', club["priya"]) == [club["turnstile"]]
    assert _found(session, '"stand north"', club["priya"]) == []
    assert _found(session, "turnstile -season", club["priya"]) == [club["in_reply"]]


def test_nothing_typed_finds_nothing(session, club):
    for typed in ("", "   ", None, "\x00", "--", '"'):
        results = search.search(session, typed, club["maria"])
        assert results.cases == [] and results.customers == [] and results.total == 0


def test_a_word_in_very_many_cases_ranks_the_newest_and_says_so(session, club, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 5)
    made = [make_case(session, owner=club["maria"], category=club["seats"],
                      what_happened=f"The floodlight failed in minute {n}.") for n in range(8)]
    session.commit()
    results = search.search(session, "floodlight", club["maria"])
    assert results.capped and results.total == 5
    assert {h.case for h in results.cases} == set(made[-5:])
    assert not search.search(session, "turnstile", club["maria"]).capped


def test_prefixes_for_only_the_last_word_when_asked():
    query = parse("Fan 5")
    assert query.tsquery_prefix() == "'fan':* & '5':*"
    assert query.tsquery_prefix(last_only=True) == "'fan' & '5':*"
    assert query.fts5_prefix() == '"Fan"* AND "5"*'
    assert query.fts5_prefix(last_only=True) == '"Fan" AND "5"*'


def test_a_name_typed_whole_is_found_first_and_a_part_typed_still_finds(session, club):
    fans = [make_customer(session, name=f"Fan {n}", email=f"fan{n}@bench.example") for n in (5, 50, 51)]
    fanny = make_customer(session, name="Fanny 5", email="fanny5@bench.example")
    session.commit()
    # Enough whole-word matches: the prefix look-up of every word ("Fanny") is not needed.
    assert set(matching_customers(session, "fan 5", limit=3)) == set(fans)
    # Too few: every word as a prefix, as before.
    assert set(matching_customers(session, "fan 5", limit=10)) == {*fans, fanny}
    assert matching_customers(session, "oliv tay") == [club["olivia"]]


def test_the_database_keeps_the_search_in_step_after_every_migration(session):
    # A later SQLite migration that recreates case, event or customer drops these with the old table: it must call
    # portal.cases.search_schema.sqlite_search_up(op) again. This fails until it does.
    if session.get_bind().dialect.name == "sqlite":
        names = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type IN ('trigger', 'index')")))
        expected = {f"{fts}_{s}" for fts in ("case_fts", "event_fts", "customer_fts") for s in ("ai", "ad", "au")}
    else:
        names = set(session.scalars(text("SELECT indexname FROM pg_indexes"))) | \
            set(session.scalars(text("SELECT tgname FROM pg_trigger")))
        expected = {"ix_case_search_vector", "ix_case_timeline_vector", "ix_customer_search_vector",
                    "event_timeline_words"}
    assert expected | {"ix_customer_phone_key"} <= names
