from datetime import UTC, datetime

import pytest

from osintlab.timeutil import TimeZoneError, resolve_zone, to_utc, utc_iso


def test_local_to_utc_in_scenario_zones():
    assert utc_iso(to_utc("2026-03-04 14:05", "Asia/Karachi")) == "2026-03-04T09:05:00Z"
    assert utc_iso(to_utc("2026-03-04 14:05", "Asia/Yangon")) == "2026-03-04T07:35:00Z"
    assert utc_iso(to_utc("2026-03-04 14:05", "+06:00")) == "2026-03-04T08:05:00Z"
    assert utc_iso(to_utc("2026-03-04 14:05", "PKT")) == "2026-03-04T09:05:00Z"


def test_naive_time_without_zone_is_refused():
    with pytest.raises(TimeZoneError, match="no time zone"):
        to_utc("2026-03-04 14:05")


@pytest.mark.parametrize("abbrev", ["BST", "IST", "GST"])
def test_ambiguous_abbreviations_are_refused(abbrev):
    with pytest.raises(TimeZoneError, match=abbrev):
        resolve_zone(abbrev)


def test_stated_offset_must_agree_with_zone():
    with pytest.raises(TimeZoneError, match="states offset"):
        to_utc("2026-03-04T14:05:00+05:00", "Asia/Dhaka")
    assert to_utc("2026-03-04T14:05:00+05:00", "Asia/Karachi").hour == 9


def test_dst_gaps_and_folds_are_caught():
    with pytest.raises(TimeZoneError, match="does not exist"):
        to_utc("2026-03-29 03:30", "Europe/Athens")
    with pytest.raises(TimeZoneError, match="occurs twice"):
        to_utc("2026-10-25 03:30", "Europe/Athens")


def test_bad_inputs():
    with pytest.raises(TimeZoneError):
        to_utc("yesterday", "UTC")
    with pytest.raises(TimeZoneError):
        resolve_zone("Mars/Olympus")
    with pytest.raises(TimeZoneError):
        utc_iso(datetime(2026, 1, 1))
    assert utc_iso(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01T00:00:00Z"
