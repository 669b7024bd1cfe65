"""Time wording: the organisation's zone, named, and relative wording that counts days as a customer would."""

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.times import day, deadline, due_words, exact_time, relative_time, short_time

LONDON = "Europe/London"
NOW = datetime(2026, 12, 2, 3, 39, tzinfo=UTC)


def test_winter_times_read_in_gmt_and_summer_times_in_bst():
    assert exact_time(datetime(2026, 12, 4, 3, 39, tzinfo=UTC), LONDON) == "4 December 2026 at 03:39 GMT"
    assert exact_time(datetime(2026, 7, 4, 3, 39, tzinfo=UTC), LONDON) == "4 July 2026 at 04:39 BST"


def test_another_organisation_zone_is_named_too():
    assert exact_time(datetime(2026, 12, 4, 3, 39, tzinfo=UTC), "Europe/Paris") == "4 December 2026 at 04:39 CET"


def test_a_late_evening_in_summer_is_the_next_day_locally():
    assert day(datetime(2026, 6, 30, 23, 30, tzinfo=UTC), LONDON) == "1 July 2026"
    assert day(date(2026, 6, 30)) == "30 June 2026"


def test_a_fourteen_day_offer_reads_fourteen_days_even_seconds_after_it_was_sent():
    expires = NOW + timedelta(days=14)
    assert relative_time(expires, NOW, LONDON) == "in 14 days"
    assert relative_time(expires, NOW + timedelta(seconds=5), LONDON) == "in 14 days"
    assert relative_time(expires, NOW - timedelta(seconds=5), LONDON) == "in 14 days"


@pytest.mark.parametrize(("gap", "words"), [
    (timedelta(seconds=30), "in a moment"),
    (timedelta(minutes=59, seconds=59), "in 59 minutes"),
    (timedelta(hours=1), "in 1 hour"),
    (timedelta(hours=23, minutes=59), "in 23 hours"),
    (timedelta(days=1), "in 1 day"),
    (timedelta(days=2, seconds=-1), "in 2 days"),
    (timedelta(days=2, seconds=1), "in 2 days"),
    (-timedelta(seconds=30), "just now"),
    (-timedelta(hours=3, minutes=1), "3 hours ago"),
    (-timedelta(days=3, hours=1), "3 days ago"),
])
def test_relative_wording_on_its_boundaries(gap, words):
    assert relative_time(NOW + gap, NOW, LONDON) == words


def test_the_day_the_clocks_go_forward_counts_as_one_day():
    # 29 March 2026: 01:00 GMT becomes 02:00 BST, so the local day has 23 hours.
    before = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)  # 12:00 GMT
    after = before + timedelta(days=14)  # 13:00 BST on 11 April, 14 local days later
    assert relative_time(after, before, LONDON) == "in 14 days"
    assert relative_time(datetime(2026, 3, 30, 10, 0, tzinfo=UTC), datetime(2026, 3, 28, 23, 30, tzinfo=UTC),
                         LONDON) == "in 2 days"


def test_the_day_the_clocks_go_back_counts_as_one_day():
    # 25 October 2026: 02:00 BST becomes 01:00 GMT, so the local day has 25 hours.
    start = datetime(2026, 10, 24, 23, 0, tzinfo=UTC)  # 00:00 BST on the 25th
    assert relative_time(datetime(2026, 10, 25, 23, 59, tzinfo=UTC), start, LONDON) == "in 1 day"
    sent = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)  # 10:00 BST
    assert relative_time(sent + timedelta(days=14), sent, LONDON) == "in 14 days"


def test_a_deadline_shows_its_exact_time_beside_the_wording():
    assert deadline(NOW + timedelta(days=14), NOW, LONDON) == "16 December 2026 at 03:39 GMT (in 14 days)"
    assert deadline(None, NOW, LONDON) == "" and exact_time(None) == "" and relative_time(None, NOW) == ""


@pytest.mark.parametrize(("gap", "words"), [
    (timedelta(seconds=59), "due now"),
    (-timedelta(seconds=59), "due now"),
    (timedelta(minutes=40), "in 40 min"),
    (timedelta(hours=3, minutes=59), "in 3 h"),
    (-timedelta(hours=3, minutes=1), "overdue 3 h"),
    (-timedelta(minutes=5), "overdue 5 min"),
    (timedelta(hours=23, minutes=59), "in 23 h"),
    (-timedelta(days=2, hours=1), "overdue 2 d"),
    (timedelta(days=14), "in 14 d"),
])
def test_a_queues_due_wording_is_short_and_counts_like_the_rest(gap, words):
    assert due_words(NOW + gap, NOW, LONDON) == words
    assert due_words(None, NOW, LONDON) == ""


def test_a_short_clock_time_names_the_year_only_when_it_is_another():
    assert short_time(datetime(2026, 7, 1, 12, 5, tzinfo=UTC), NOW, LONDON) == "1 Jul 13:05"
    assert short_time(datetime(2025, 12, 31, 23, 30, tzinfo=UTC), NOW, LONDON) == "31 Dec 2025 23:30"
    assert short_time(None, NOW, LONDON) == ""
