from datetime import date

import pytest

from portal.auth.models import Role
from portal.surveys.groups import (
    GroupRefused,
    add_member,
    apply_import,
    create_group,
    preview_import,
    tenure_band,
)
from tests.factories import CSV, make_customer, make_employee


@pytest.fixture
def group(session):
    return create_group(session, name="North Stand season-ticket holders 2026", description="",
                        by=make_employee(session, role=Role.manager))


def test_the_preview_says_what_each_line_will_do_before_anything_is_saved(session, group):
    preview = preview_import(session, group, CSV)
    assert [r.action for r in preview.rows] == ["add", "add", "merged", "", "", ""]
    assert preview.rows[3].errors == ["“not-an-address” is not an e-mail address."]
    assert preview.rows[4].errors == ["The name is missing."]
    assert preview.rows[5].errors == ["“last summer” is not a date like 2012-08-01."]
    assert preview.counts == {"add": 2, "update": 0, "unchanged": 0, "merged": 1, "error": 3}
    session.flush()
    assert group.members == []


def test_importing_saves_valid_lines_links_customers_and_a_second_import_changes_nothing(session, group):
    customer = make_customer(session, email="james@fans.example")
    assert apply_import(session, group, preview_import(session, group, CSV)) == 2
    session.flush()
    members = {m.email: m for m in group.members}
    assert set(members) == {"olivia@fans.example", "james@fans.example"}
    assert members["james@fans.example"].customer_id == customer.id
    assert members["olivia@fans.example"].member_since == date(2012, 8, 1)
    again = preview_import(session, group, CSV)
    assert again.counts["add"] == 0 and again.counts["unchanged"] == 2
    assert apply_import(session, group, again) == 0


def test_a_changed_line_updates_the_member(session, group):
    apply_import(session, group, preview_import(session, group, CSV))
    session.flush()
    changed = CSV.replace(b"ST-1002", b"ST-2002")
    preview = preview_import(session, group, changed)
    assert preview.counts["update"] == 1
    apply_import(session, group, preview)
    assert {m.email: m.membership_number for m in group.members}["james@fans.example"] == "ST-2002"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"who,where\nx,y\n", "missing: name, email"),
        ("name,email\nZoë,zoe@fans.example\n".encode("utf-16"), "not UTF-8"),
        (b"name,email\n", "no members"),
    ],
)
def test_a_file_that_cannot_be_read_is_explained(session, group, data, message):
    preview = preview_import(session, group, data)
    assert preview.rows == [] and message in preview.problems[0]


def test_members_added_by_hand_follow_the_same_rules(session, group):
    add_member(session, group, name="Aisha Khan", email="aisha@fans.example", member_since=date(2001, 5, 1))
    with pytest.raises(GroupRefused, match="already a member"):
        add_member(session, group, name="Aisha Khan", email="AISHA@fans.example", member_since=date(2001, 5, 1))
    with pytest.raises(GroupRefused, match="not an e-mail address"):
        add_member(session, group, name="X", email="x")
    assert tenure_band(group.members[0], date(2026, 11, 1)) == "10 years or more"


def test_group_names_are_unique(session, group):
    with pytest.raises(GroupRefused, match="already a group"):
        create_group(session, name="north stand season-ticket holders 2026", description="",
                     by=make_employee(session, role=Role.manager))
