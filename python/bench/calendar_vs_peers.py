"""Vectorised business time from Python: servicelevel against workclock and
businesstimedelta on the same pairs, in one run, with the answers compared.

    pip install workclock businesstimedelta
    python python/bench/calendar_vs_peers.py [pairs]

The calendar: Monday to Friday 09:00-17:00 UTC with the 2025 and 2026 German
federal holidays (UTC so that every library reads the hours the same way). The
pairs: random instants to the second in 2025, each end after its start by up
to 30 days. Times are medians of 5 runs of one call over all pairs
(businesstimedelta, at about 2 ms a pair, on a 2,000-pair sample).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time

import numpy as np
import pyarrow as pa

import servicelevel as sl

PAIRS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
HOLIDAYS = [
    "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-01", "2025-05-29", "2025-06-09", "2025-10-03", "2025-12-25", "2025-12-26",
    # 2026's too: businesstimedelta crashes on a pair after its last holiday.
    "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25", "2026-10-03", "2026-12-25", "2026-12-26",
]
UTC = dt.timezone.utc


def median_time(fn, runs=5):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    rng = np.random.default_rng(20251202)
    base = np.datetime64("2025-01-01T00:00:00", "s").astype(np.int64)
    starts_s = base + rng.integers(0, 330 * 86400, PAIRS)
    ends_s = starts_s + rng.integers(0, 30 * 86400, PAIRS)
    starts_np = starts_s.astype("datetime64[s]")
    ends_np = ends_s.astype("datetime64[s]")
    starts_pa = pa.array(starts_s * 10**9, type=pa.timestamp("ns", tz="UTC"))
    ends_pa = pa.array(ends_s * 10**9, type=pa.timestamp("ns", tz="UTC"))

    weekdays = {d: [["09:00", "17:00"]] for d in ["mon", "tue", "wed", "thu", "fri"]}
    calendar = sl.Calendar({"time_zone": "UTC", "weekly": weekdays, "holidays": HOLIDAYS})

    kernel, ours = median_time(lambda: calendar.business_time(starts_pa, ends_pa))
    from_numpy, ours_np = median_time(lambda: calendar.business_time(starts_np, ends_np, naive="utc"))
    ours_s = ours.cast(pa.int64()).to_numpy() // 10**9
    print(f"servicelevel, pyarrow timestamp[ns] columns: {kernel / PAIRS * 1e9:7.1f} ns per pair ({PAIRS:,} pairs)")
    print(f"servicelevel, numpy datetime64[s] in and out: {from_numpy / PAIRS * 1e9:7.1f} ns per pair")

    import workclock

    rules = [workclock.WorkDay(dt.time(9), dt.time(17), days=[0, 1, 2, 3, 4]), workclock.Holidays([dt.date.fromisoformat(d) for d in HOLIDAYS])]
    schedule = workclock.Schedule(rules)
    theirs_time, theirs = median_time(lambda: schedule.between_many(starts_np, ends_np))
    theirs_s = theirs.astype("timedelta64[s]").astype(np.int64)
    print(f"workclock between_many, numpy datetime64:    {theirs_time / PAIRS * 1e9:7.1f} ns per pair")
    print(f"  servicelevel is {theirs_time / kernel:.0f}x faster; answers identical: {bool(np.array_equal(ours_s, theirs_s))}")

    import businesstimedelta

    workday = businesstimedelta.WorkDayRule(start_time=dt.time(9), end_time=dt.time(17), working_days=[0, 1, 2, 3, 4])
    holidays = businesstimedelta.HolidayRule([dt.date.fromisoformat(d) for d in HOLIDAYS])
    rule = businesstimedelta.Rules([workday, holidays])
    sample = 2_000
    # businesstimedelta reads naive datetimes: give it the UTC wall times.
    naive = lambda s: dt.datetime.fromtimestamp(int(s), UTC).replace(tzinfo=None)  # noqa: E731
    pairs = [(naive(a), naive(b)) for a, b in zip(starts_s[:sample], ends_s[:sample])]
    btd_time, btd = median_time(lambda: [rule.difference(a, b) for a, b in pairs], runs=3)
    btd_s = np.array([d.hours * 3600 + d.seconds for d in btd])
    print(f"businesstimedelta, one pair at a time:       {btd_time / sample * 1e9:7.0f} ns per pair ({sample:,}-pair sample)")
    print(f"  servicelevel is {btd_time / sample / (kernel / PAIRS):,.0f}x faster; answers identical on the sample: {bool(np.array_equal(ours_s[:sample], btd_s))}")


if __name__ == "__main__":
    main()
