"""`evaluate` on a million synthetic tickets (about six million events) from a
pyarrow Table, on one core.

    python python/bench/evaluate_million.py [tickets]

Each ticket: created `new` with a priority (1-4) in the service desk's
group, assigned `in_progress` after up to 4 h, reassigned to another group
in two tickets of three, on hold for up to 8 h in two tickets of three and
back in progress up to a day later, resolved, closed a day later: 4 to 7
events, 6 on average (the shared ServiceNow log has 5.7 rows an incident). Two
policies: the ServiceNow response and resolution presets (targets by
priority), on Monday-Friday 08:00-18:00 in Europe/Berlin. The time is the
median of 3 calls of `evaluate` on the prepared table (building the table
is not timed), each after the previous call's result is dropped, as a
notebook's single call would run: with two 2 M-row results alive at once
the later calls ran 5-20 % slower.
"""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import sys
import time

import numpy as np
import pyarrow as pa

import servicelevel as sl

TICKETS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000


def table(n: int) -> pa.Table:
    rng = np.random.default_rng(7)
    base = np.datetime64("2025-01-06T08:00:00", "s").astype(np.int64)
    created = base + rng.integers(0, 300 * 86400, n)
    assigned = created + rng.integers(60, 4 * 3600, n)
    hold = rng.integers(0, 3, n) != 0
    held = assigned + rng.integers(600, 8 * 3600, n)
    moved = rng.integers(0, 3, n) != 0
    moved_at = assigned + rng.integers(60, 2 * 3600, n)
    group = np.array(["network", "database", "applications", "desktop"], dtype=object)[rng.integers(0, 4, n)]
    desk = np.full(n, "service_desk", dtype=object)
    back = held + rng.integers(3600, 86400, n)
    resolved = np.where(hold, back, assigned) + rng.integers(600, 3 * 86400, n)
    closed = resolved + 86400
    ids = np.array([f"INC{i:07d}" for i in range(n)], dtype=object)
    priority = rng.integers(1, 5, n).astype(str).astype(object)
    parts = [
        (ids, created, "new", priority, desk),
        (ids, assigned, "in_progress", None, None),
        (ids[moved], moved_at[moved], None, None, group[moved]),
        (ids[hold], held[hold], "on_hold", None, None),
        (ids[hold], back[hold], "in_progress", None, None),
        (ids, resolved, "resolved", None, None),
        (ids, closed, "closed", None, None),
    ]
    ticket = np.concatenate([p[0] for p in parts])
    at = np.concatenate([p[1] for p in parts])
    status = np.concatenate([np.full(len(p[0]), p[2], dtype=object) for p in parts])
    column = lambda k: np.concatenate([p[k] if p[k] is not None else np.full(len(p[0]), None, dtype=object) for p in parts])
    prio, groups = column(3), column(4)
    order = np.lexsort((at, ticket))
    return pa.table(
        {
            "ticket": pa.array(ticket[order], type=pa.string()),
            "at": pa.array(at[order] * 10**9, type=pa.timestamp("ns", tz="UTC")),
            "status": pa.array(status[order], type=pa.string()),
            "priority": pa.array(prio[order], type=pa.string()),
            "assignment_group": pa.array(groups[order], type=pa.string()),
        }
    )


def main() -> None:
    events = table(TICKETS)
    weekdays = {d: [["08:00", "18:00"]] for d in ["mon", "tue", "wed", "thu", "fri"]}
    calendar = sl.Calendar({"time_zone": "Europe/Berlin", "weekly": weekdays, "holidays": []})
    response = sl.Policy.preset("servicenow_response", {"measure": "business_time", "by": "priority", "amounts": {"1": "1h", "2": "2h", "3": "4h", "4": "8h"}})
    resolution = sl.Policy.preset("servicenow_resolution", {"measure": "business_time", "by": "priority", "amounts": {"1": "4h", "2": "8h", "3": "24h", "4": "40h"}})
    as_of = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    times = []
    result = None
    for _ in range(3):
        result = None
        gc.collect()
        t0 = time.perf_counter()
        result = sl.evaluate(events, [response, resolution], calendar, as_of)
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    breached = result.column("breached").to_numpy(zero_copy_only=False).sum()
    print(f"{TICKETS:,} tickets, {events.num_rows:,} events, 2 policies: {median:.2f} s "
          f"({median / TICKETS / 2 * 1e9:.0f} ns per ticket-policy); {result.num_rows:,} rows, {breached:,} breached")


if __name__ == "__main__":
    main()
