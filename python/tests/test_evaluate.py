"""`evaluate` from Python on the repository's SLA scenario files: every
number there comes from the vendor source each file names (ServiceNow,
Zammad, GLPI, Znuny, Jira, Zendesk, RT, Freshservice, iTop), and the
`task_sla` table must give the same."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from decimal import Decimal

import pyarrow as pa
import pytest

import servicelevel as sl
from conftest import UTC, instant, load, nanos_of_duration, nanos_of_instant, scenario_files

# What a scenario check calls each task_sla column.
COLUMNS = {
    "state": "state",
    "calendar": "calendar",
    "start": "start",
    "end": "stop",
    "due": "due",
    "breached_at": "breached_at",
    "target": "target",
    "business_used": "business_elapsed",
    "wall_used": "wall_elapsed",
    "paused_business": "business_paused",
    "paused_wall": "wall_paused",
    "remaining": "time_left",
    "elapsed_percent": "percent",
    "wall_elapsed_percent": "wall_percent",
}
INSTANTS = {"start", "end", "due", "breached_at"}
PERCENTS = {"elapsed_percent", "wall_elapsed_percent"}


def policy(entry: dict) -> sl.Policy:
    """A scenario's policy entry: a whole policy, or a preset whose other keys replace the preset's."""
    entry = json.loads(json.dumps(entry))
    for revision in entry.get("revisions", []):
        revision["policy"] = json.loads(policy(revision["policy"]).to_json())
    if "preset" not in entry:
        return sl.Policy(entry)
    name, _, group = entry.pop("preset").partition(":")
    preset = sl.Policy.preset(name, entry["target"], group=group or None)
    form = json.loads(preset.to_json())
    form.update(entry)
    return sl.Policy(form)


def events_table(events: list[dict]) -> pa.Table:
    fields = sorted({f for e in events for f in {**e.get("created", {}), **e.get("set", {})}})
    columns = {"ticket": [], "at": [], "action": [], **{f: [] for f in fields}}
    for e in events:
        values = e.get("created", e.get("set", {}))
        columns["ticket"].append(e.get("ticket", "T1"))
        columns["at"].append(nanos_of_instant(e["at"]))
        columns["action"].append(e.get("action"))
        for f in fields:
            columns[f].append(values.get(f))
    columns["at"] = pa.array(columns["at"], type=pa.timestamp("ns", tz="UTC"))
    return pa.table(columns)


def scenarios():
    for path in scenario_files("sla"):
        yield path.name, load(path)


def measured(scenario: dict) -> dict:
    """What evaluate() takes for a scenario: its policies on its calendar,
    or, when a policy routes its calendar, a spec whose catalog holds the
    file's calendars (first-match groups compiled either way)."""
    policies, obligations = [], []
    for entry in scenario["policies"]:
        if "first_match" in entry:
            group = sl.Policy.first_match([policy(e) for e in entry["first_match"]])
        else:
            entry = dict(entry)
            route = entry.pop("calendar_by", None)
            group = [policy(entry)]
            if route is not None:
                obligations.append({"policy": json.loads(group[0].to_json()), "calendar": None, "calendar_by": route})
                continue
        policies += group
        obligations += [{"policy": json.loads(p.to_json()), "calendar": None} for p in group]
    if len(obligations) == len(policies):
        return {"policies": policies, "calendar": sl.Calendar(scenario["calendar"])}
    calendars = {**scenario.get("calendars", {}), "scenario": scenario["calendar"]}
    service = {"id": "scenario", "name": "scenario", "calendar": "scenario", "policies": obligations}
    return {"spec": sl.ReportSpec({"catalog": {"calendars": calendars, "services": [service]}})}


def expected(key: str, text: str):
    if text == "none":
        return None
    if key in INSTANTS:
        return nanos_of_instant(text)
    if key in PERCENTS:
        return Decimal(text)
    if key in ("state", "calendar"):
        return text
    return nanos_of_duration(text)


def got(key: str, value):
    if value is None or key in ("state", "calendar"):
        return value
    if key in PERCENTS:
        return value.normalize() if value else Decimal(0)
    if key in INSTANTS:
        return value.value  # pandas Timestamp: nanoseconds
    return value.value  # pandas Timedelta: nanoseconds


@pytest.mark.parametrize("name,scenario", list(scenarios()))
def test_the_task_sla_table_reproduces_the_scenario(name, scenario):
    how = measured(scenario)
    table = events_table(scenario["events"])
    checked = 0
    for check in scenario["checks"]:
        as_of = instant(check["as_of"])
        # Other tickets of the file may have no target under this policy:
        # reported, and only the checked ticket's rows are read.
        result = sl.evaluate(table, as_of=as_of, action="action", errors="report", **how).to_pandas()
        rows = result[(result.ticket == check.get("ticket", "T1")) & (result.policy == check["policy"])]
        if "cycles" in check:
            assert len(rows) == check["cycles"], (name, check)
        expect = check.get("expect") or {}
        if not expect:
            continue
        row = rows.iloc[check["cycle"]] if "cycle" in check else rows.iloc[-1]
        for key, text in expect.items():
            if key not in COLUMNS:
                continue  # warnings, escalations, calendar names: not columns of the table
            value = row[COLUMNS[key]]
            value = None if (value is None or (not isinstance(value, (str, Decimal)) and value != value)) else value
            assert got(key, value) == expected(key, text), (name, check["as_of"], key)
        checked += 1
    assert checked, name


def test_the_schema_is_the_documented_one(office):
    p = sl.Policy.preset("servicenow_resolution", {"measure": "business_time", "default": "8h"})
    table = events_table([{"at": "2025-03-03T09:00:00Z", "created": {"status": "new"}}])
    result = sl.evaluate(table, p, office, dt.datetime(2025, 3, 3, 12, tzinfo=UTC))
    assert result.schema == sl.TASK_SLA_SCHEMA
    assert result.column("percent").to_pylist() == [Decimal("37.500000")]


def test_pandas_polars_and_duckdb_read_it(office):
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    p = sl.Policy.preset("servicenow_resolution", {"measure": "business_time", "default": "8h"})
    frame = pd.DataFrame(
        {
            "number": ["INC1", "INC1", "INC2"],
            "updated": pd.to_datetime(["2025-03-03 09:00", "2025-03-03 15:00", "2025-03-03 10:00"]).tz_localize("UTC"),
            "status": ["new", "resolved", "new"],
            "priority": [3, None, 1],
        }
    )
    as_of = dt.datetime(2025, 3, 4, 17, tzinfo=UTC)
    from_pandas = sl.evaluate(frame, p, office, as_of, ticket="number", at="updated")
    from_polars = sl.evaluate(pl.from_pandas(frame), p, office, as_of, ticket="number", at="updated")
    assert from_pandas.equals(from_polars)
    # INC2 has been open 15 business hours of its 8: breached, and still running.
    assert pl.from_arrow(from_pandas).select("state", "breached").rows() == [("met", False), ("running", True)]
    duckdb = pytest.importorskip("duckdb")
    counts = duckdb.sql("select breached, count(*) as n from from_pandas group by breached order by breached").fetchall()
    assert counts == [(False, 1), (True, 1)]


def test_bad_input_is_typed_and_located(office):
    p = sl.Policy.preset("servicenow_resolution", {"measure": "business_time", "default": "8h"})
    as_of = dt.datetime(2025, 3, 4, 17, tzinfo=UTC)
    good = events_table([{"at": "2025-03-03T09:00:00Z", "created": {"status": "new"}}])
    with pytest.raises(sl.InputError) as raised:
        sl.evaluate(good, p, office, as_of, ticket="number")
    assert raised.value.kind == "unknown_column" and "number" in str(raised.value)
    with pytest.raises(sl.InputError, match="naive"):
        sl.evaluate(good, p, office, dt.datetime(2025, 3, 4, 17))
    naive = good.set_column(1, "at", pa.array([dt.datetime(2025, 3, 3, 9)]))
    with pytest.raises(sl.InputError, match="naive timestamps"):
        sl.evaluate(naive, p, office, as_of)
    # A priority with no target: the ticket's typed error, raised or reported.
    tiered = sl.Policy.preset("servicenow_resolution", {"measure": "business_time", "by": "priority", "amounts": {"1": "4h"}})
    table = events_table(
        [
            {"ticket": "A", "at": "2025-03-03T09:00:00Z", "created": {"status": "new", "priority": "1"}},
            {"ticket": "B", "at": "2025-03-03T09:00:00Z", "created": {"status": "new", "priority": "9"}},
        ]
    )
    with pytest.raises(sl.Error) as raised:
        sl.evaluate(table, tiered, office, as_of)
    assert raised.value.ticket == "B"
    reported = sl.evaluate(table, tiered, office, as_of, errors="report").to_pylist()
    assert [(r["state"], r["breached"]) for r in reported] == [("running", True), ("error", None)]
    assert reported[1]["ticket"] == "B" and "9" in reported[1]["error"]


def test_events_going_back_in_time_are_sorted_and_two_creations_are_not_silent(office):
    p = sl.Policy.preset("servicenow_resolution", {"measure": "business_time", "default": "8h"})
    as_of = dt.datetime(2025, 3, 4, 17, tzinfo=UTC)
    table = events_table(
        [
            {"ticket": "A", "at": "2025-03-03T15:00:00Z", "set": {"status": "resolved"}},
            {"ticket": "A", "at": "2025-03-03T09:00:00Z", "created": {"status": "new"}},
        ]
    )
    rows = sl.evaluate(table, p, office, as_of).to_pylist()
    assert [(r["state"], r["business_elapsed"]) for r in rows] == [("met", dt.timedelta(hours=6))]


def test_interleaved_tickets_are_grouped_in_order_of_first_appearance(office):
    # A hash-partitioned or time-ordered export interleaves tickets: A's rows
    # are split by B's. A opened 09:00 and resolved 15:00 (6 business hours,
    # met); B opened 10:00 and still runs at 17:00 as of (7 of its 8 hours).
    p = sl.Policy.preset("servicenow_resolution", {"measure": "business_time", "default": "8h"})
    as_of = dt.datetime(2025, 3, 3, 17, tzinfo=UTC)
    rows = [
        {"ticket": "A", "at": "2025-03-03T09:00:00Z", "created": {"status": "new"}},
        {"ticket": "B", "at": "2025-03-03T10:00:00Z", "created": {"status": "new"}},
        {"ticket": "A", "at": "2025-03-03T12:00:00Z", "set": {"status": "in_progress"}},
        {"ticket": "B", "at": "2025-03-03T11:00:00Z", "set": {"status": "in_progress"}},
        {"ticket": "A", "at": "2025-03-03T15:00:00Z", "set": {"status": "resolved"}},
    ]
    interleaved = sl.evaluate(events_table(rows), p, office, as_of).to_pylist()
    assert [(r["ticket"], r["state"], r["business_elapsed"]) for r in interleaved] == [
        ("A", "met", dt.timedelta(hours=6)),
        ("B", "running", dt.timedelta(hours=7)),
    ]
    grouped = sorted(rows, key=lambda r: r["ticket"])
    assert sl.evaluate(events_table(grouped), p, office, as_of).to_pylist() == interleaved
    # Grouped but not sorted by id (B's rows, then A's): the tickets keep
    # the order they appear in, with the same figures; and a ticket coming
    # back after another sorted one (A, B, A) is still found as A.
    descending = sorted(rows, key=lambda r: r["ticket"], reverse=True)
    got = sl.evaluate(events_table(descending), p, office, as_of).to_pylist()
    assert got == [interleaved[1], interleaved[0]]
    back = [rows[0], rows[1], rows[3], rows[2], rows[4]]
    assert sl.evaluate(events_table(back), p, office, as_of).to_pylist() == interleaved


def test_ids_and_values_differing_in_one_byte_are_told_apart(office):
    # Ticket ids and values are compared a word at a time: every length
    # from 1 to 20 bytes, each pair of ids differing in one byte only (the
    # first, a middle or the last), in both orders. Each ticket is opened
    # at 09:00 and its status set at 12:00: `resolved` (met) for one id of
    # a pair, `resolvee` (no stop: still running) for the other.
    p = sl.Policy.preset("servicenow_resolution", {"measure": "business_time", "default": "8h"})
    as_of = dt.datetime(2025, 3, 3, 17, tzinfo=UTC)
    rows, expected = [], []
    for n in range(1, 21):
        base = "".join(chr(ord("a") + i % 26) for i in range(n))
        for at in sorted({0, n // 2, n - 1}):
            other = base[:at] + "Z" + base[at + 1 :]
            for ticket, status, state in [(base, "resolved", "met"), (other, "resolvee", "running")]:
                if ticket in [r["ticket"] for r in rows]:
                    continue
                rows.append({"ticket": ticket, "at": "2025-03-03T09:00:00Z", "created": {"status": "new"}})
                rows.append({"ticket": ticket, "at": "2025-03-03T12:00:00Z", "set": {"status": status}})
                expected.append((ticket, state))
    got = sl.evaluate(events_table(rows), p, office, as_of).to_pylist()
    assert [(r["ticket"], r["state"]) for r in got] == expected


def test_snapshot_rows_clear_fields(office):
    # A pause condition on a field: in snapshots a null clears it, so the clock resumes.
    paused = {
        "id": "p", "name": "p", "kind": "sla", "start": "created", "stop": {"in": ["status", ["resolved"]]},
        "pause": {"is_set": "hold_reason"}, "target": {"measure": "business_time", "default": "8h"},
    }
    p = sl.Policy(paused)
    table = events_table(
        [
            {"at": "2025-03-03T09:00:00Z", "created": {"status": "new"}},
            {"at": "2025-03-03T10:00:00Z", "set": {"status": "new", "hold_reason": "vendor"}},
            {"at": "2025-03-03T12:00:00Z", "set": {"status": "new"}},
        ]
    )
    as_of = dt.datetime(2025, 3, 3, 13, tzinfo=UTC)
    changes = sl.evaluate(table, p, office, as_of).to_pylist()[0]
    snapshots = sl.evaluate(table, p, office, as_of, rows="snapshots").to_pylist()[0]
    assert changes["business_elapsed"] == dt.timedelta(hours=1)  # still on hold
    assert snapshots["business_elapsed"] == dt.timedelta(hours=2)  # hold cleared at 12:00


def test_policies_pickle_and_presets_are_listed():
    p = sl.Policy.preset("itop_time_to_resolve", {"measure": "business_time", "default": "15m"})
    assert pickle.loads(pickle.dumps(p)) == p
    assert "itop_time_to_resolve" in sl.PRESETS and len(sl.PRESETS) == 19
    with pytest.raises(sl.ConfigError, match="no preset has this name"):
        sl.Policy.preset("itop_time_to_reslove", {"measure": "business_time", "default": "15m"})
