from portal.cases.references import next_reference


def test_references_count_up_per_year_and_never_repeat(session):
    first = next_reference(session, 2026)
    second = next_reference(session, 2026)
    other_year = next_reference(session, 2027)
    assert (first, second, other_year) == ("MIR-2026-000001", "MIR-2026-000002", "MIR-2027-000001")
