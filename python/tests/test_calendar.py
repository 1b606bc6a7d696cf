"""The calendar from Python: the repository's calendar scenario files (each
number from the source it names: IANA, ServiceNow, Jira, Zammad, biz...),
scalar and vectorised, and the column kinds it takes and gives back."""

from __future__ import annotations

import datetime as dt
import pickle

import pyarrow as pa
import pytest

import servicelevel as sl
from conftest import UTC, instant, load, nanos_of_duration, nanos_of_instant, scenario_files

FILES = scenario_files("calendar")


def checks(op: str):
    for path in FILES:
        scenario = load(path)
        calendar = sl.Calendar(scenario["calendar"])
        for check in scenario["checks"]:
            if check["op"] == op:
                yield path.name, calendar, check


@pytest.mark.parametrize("name,calendar,check", list(checks("business_time")))
def test_business_time_matches_the_scenario_files(name, calendar, check):
    got = calendar.business_time(instant(check["from"]), instant(check["to"]))
    assert got == dt.timedelta(microseconds=nanos_of_duration(check["expect"]) // 1000), name


@pytest.mark.parametrize("name,calendar,check", list(checks("add_business_time")))
def test_add_business_time_matches_the_scenario_files(name, calendar, check):
    amount = dt.timedelta(microseconds=nanos_of_duration(check["amount"]) // 1000)
    convention = check.get("convention", "earliest_instant")
    got = calendar.add_business_time(instant(check["from"]), amount, convention=convention)
    assert got == instant(check["expect"]), name


@pytest.mark.parametrize("name,calendar,check", list(checks("is_open")))
def test_is_open_matches_the_scenario_files(name, calendar, check):
    assert str(calendar.is_open(instant(check["at"]))).lower() == check["expect"], name


def test_columns_give_what_scalars_give():
    """Every business_time check of every file, as one column per file."""
    for path in FILES:
        scenario = load(path)
        calendar = sl.Calendar(scenario["calendar"])
        pairs = [c for c in scenario["checks"] if c["op"] == "business_time"]
        if not pairs:
            continue
        starts = pa.array([nanos_of_instant(c["from"]) for c in pairs], type=pa.timestamp("ns", tz="UTC"))
        ends = pa.array([nanos_of_instant(c["to"]) for c in pairs], type=pa.timestamp("ns", tz="UTC"))
        got = calendar.business_time(starts, ends)
        assert got.type == pa.duration("ns")
        assert got.to_pylist() == [
            dt.timedelta(microseconds=nanos_of_duration(c["expect"]) // 1000) for c in pairs
        ], path.name


def test_any_unit_any_zone_and_nulls_kept(office):
    # Friday 16:00 UTC to Monday 10:00 UTC: 1 h on Friday, 1 h on Monday.
    friday = dt.datetime(2025, 3, 7, 16, tzinfo=UTC)
    monday = dt.datetime(2025, 3, 10, 10, tzinfo=UTC)
    starts = pa.array([friday, None, friday], type=pa.timestamp("s", tz="Europe/Berlin"))
    ends = pa.array([monday, monday, None], type=pa.timestamp("ms", tz="America/New_York"))
    got = office.business_time(starts, ends)
    assert got.to_pylist() == [dt.timedelta(hours=2), None, None]


def test_a_scalar_side_is_repeated(office):
    friday = dt.datetime(2025, 3, 7, 16, tzinfo=UTC)
    ends = pa.array([dt.datetime(2025, 3, 10, 10, tzinfo=UTC), dt.datetime(2025, 3, 7, 17, tzinfo=UTC)])
    assert office.business_time(friday, ends).to_pylist() == [dt.timedelta(hours=2), dt.timedelta(hours=1)]
    due = office.add_business_time(ends, dt.timedelta(hours=1))
    assert due.to_pylist() == [dt.datetime(2025, 3, 10, 11, tzinfo=UTC), dt.datetime(2025, 3, 10, 10, tzinfo=UTC)]


def test_pandas_polars_and_numpy_come_back_as_they_went_in(office):
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    np = pytest.importorskip("numpy")
    starts = pd.Series(pd.to_datetime(["2025-03-07 16:00", "2025-03-10 09:00"]).tz_localize("UTC"), name="opened")
    ends = pd.Series(pd.to_datetime(["2025-03-10 10:00", "2025-03-10 09:30"]).tz_localize("UTC"))
    got = office.business_time(starts, ends)
    assert isinstance(got, pd.Series) and got.name == "opened"
    assert list(got) == [pd.Timedelta(hours=2), pd.Timedelta(minutes=30)]

    got = office.business_time(pl.from_pandas(starts), pl.from_pandas(ends))
    assert isinstance(got, pl.Series)
    assert got.to_list() == [dt.timedelta(hours=2), dt.timedelta(minutes=30)]

    naive = np.array(["2025-03-07T16:00", "2025-03-10T09:00"], dtype="datetime64[s]")
    got = office.business_time(naive, ends.to_numpy(), naive="utc")
    assert isinstance(got, np.ndarray)
    assert list(got) == [np.timedelta64(2 * 3600 * 10**9, "ns"), np.timedelta64(30 * 60 * 10**9, "ns")]


def test_naive_input_is_a_typed_error_unless_its_zone_is_named(office):
    naive = dt.datetime(2025, 3, 7, 16)
    aware = dt.datetime(2025, 3, 10, 10, tzinfo=UTC)
    with pytest.raises(sl.InputError) as raised:
        office.business_time(naive, aware)
    assert raised.value.kind == "naive_datetime" and raised.value.field == "start"
    column = pa.array([naive])
    with pytest.raises(sl.InputError, match="naive timestamps"):
        office.business_time(column, pa.array([aware]))
    # 16:00 in Berlin is 15:00 UTC: 2 h on Friday, 1 h on Monday.
    got = office.business_time(column, pa.array([aware]), naive="Europe/Berlin")
    assert got.to_pylist() == [dt.timedelta(hours=3)]


def test_a_malformed_calendar_is_a_config_error_of_the_crates_kind():
    with pytest.raises(sl.ConfigError, match="Mars/Olympus") as raised:
        sl.Calendar({"time_zone": "Mars/Olympus", "weekly": {}, "holidays": []})
    assert (raised.value.kind, raised.value.input) == ("unknown_time_zone", "Mars/Olympus")
    with pytest.raises(sl.ConfigError, match="overlap|overlapping") as raised:
        sl.Calendar({"time_zone": "UTC", "weekly": {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}, "holidays": []})
    assert raised.value.kind == "overlapping_windows"
    # A value deep in the form keeps its field path and text.
    with pytest.raises(sl.ConfigError, match="17:60") as raised:
        sl.Calendar({"time_zone": "UTC", "weekly": {"tue": [["09:00", "17:60"]]}})
    assert (raised.value.kind, raised.value.field, raised.value.input) == ("invalid_clock_time", "weekly.tue[0]", "17:60")
    # Input without the calendar's form: serde's message, kind `invalid_form`.
    with pytest.raises(sl.ConfigError, match="missing field `time_zone`") as raised:
        sl.Calendar({"weekly": {}})
    assert raised.value.kind == "invalid_form"
    with pytest.raises(sl.ConfigError) as raised:
        sl.Calendar("{not json")
    assert raised.value.kind == "invalid_form"


def test_calendars_pickle(office):
    again = pickle.loads(pickle.dumps(office))
    assert again == office
    assert again.to_json() == office.to_json()


def test_a_horizon_error_names_its_row():
    calendar = sl.Calendar(
        {"time_zone": "UTC", "weekly": {"mon": [["09:00", "17:00"]]}, "holidays": [], "horizon": ["2025-01-01", "2025-12-31"]}
    )
    starts = pa.array([dt.datetime(2025, 3, 3, 9, tzinfo=UTC), dt.datetime(2025, 12, 29, 9, tzinfo=UTC)])
    with pytest.raises(sl.MeasurementError) as raised:
        calendar.add_business_time(starts, dt.timedelta(hours=100))
    assert raised.value.row == 1


# Holidays from a feed and from rules (issue 17): the shipped iCalendar feed
# testdata/ics/nrw_2024_2026.ics and the same closures written as rules give
# identical business time on random pairs.
def _nrw(**closures):
    weekdays = {d: [["08:00", "17:00"]] for d in ["mon", "tue", "wed", "thu", "fri"]}
    return sl.Calendar(
        {"time_zone": "Europe/Berlin", "weekly": weekdays, "horizon": ["2024-01-01", "2027-01-01"], **closures}
    )


def test_a_calendar_from_an_ics_feed_equals_the_same_rules():
    import numpy as np

    from conftest import REPO

    feed = (REPO / "testdata" / "ics" / "nrw_2024_2026.ics").read_text()
    from_feed = _nrw(ics=[feed])
    by_hand = _nrw(
        yearly_holidays=["01-01", "05-01", "10-03", "11-01", "12-25", "12-26"],
        recurring=["easter-2", "easter+1", "easter+39", "easter+50", "easter+60"],
        holidays=["2024-12-31", "2026-12-31"],
        closed_ranges=[["2025-07-28", "2025-08-01"]],
        partial_closures=[{"date": "2025-12-19", "from": "13:00", "until": "17:00"}],
    )
    rng = np.random.default_rng(17)
    lo = np.datetime64("2024-01-01T00:00:00", "s").astype(np.int64)
    hi = np.datetime64("2027-01-01T00:00:00", "s").astype(np.int64)
    starts = rng.integers(lo, hi, 20_000).astype("datetime64[s]")
    ends = rng.integers(lo, hi, 20_000).astype("datetime64[s]")
    feed_times = from_feed.business_time(pa.array(starts), pa.array(ends), naive="utc")
    hand_times = by_hand.business_time(pa.array(starts), pa.array(ends), naive="utc")
    assert feed_times.equals(hand_times)
    # Good Friday 2025 (2025-04-18) is closed by both: Thursday 16:00 to Tuesday 09:00 Berlin is 2 h.
    got = from_feed.business_time(instant("2025-04-17T14:00:00Z"), instant("2025-04-22T07:00:00Z"))
    assert got == dt.timedelta(hours=2)


def test_a_bad_feed_raises_a_config_error_naming_the_line():
    feed = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250106\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    with pytest.raises(sl.ConfigError) as raised:
        _nrw(ics=[feed])
    # The crate's kind for a feed; the message names the feed's line.
    assert raised.value.kind == "invalid_ics"
    assert "invalid iCalendar feed at line 4 (`RRULE:FREQ=WEEKLY`)" in str(raised.value)
