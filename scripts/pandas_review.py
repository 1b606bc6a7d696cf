"""The pandas baseline for the README's performance table.

What an analyst's pandas script does with the same export: read it, parse
the day-first timestamps, order each incident's updates, and compute per
month and priority the wall-clock resolution time (opened_at ->
resolved_at, mean/median/p90), the made_sla rate, reopens and
reassignments. It does *not* do business hours, pauses, per-priority
targets or OLAs (each would need a per-row Python loop), so it does less
than the example and is still slower.

    python3 scripts/pandas_review.py ../shared/data/servicenow/incident_event_log.csv
"""
import sys
import time

import numpy as np
import pandas as pd

start = time.perf_counter()
df = pd.read_csv(sys.argv[1], na_values="?", keep_default_na=False)
for col in ("opened_at", "sys_updated_at", "resolved_at"):
    df[col] = pd.to_datetime(df[col], format="%d/%m/%Y %H:%M")
df = df.sort_values(["number", "sys_updated_at", "sys_mod_count"])
last = df.groupby("number").tail(1).copy()
last["month"] = last["resolved_at"].dt.to_period("M")
last["hours"] = (last["resolved_at"] - last["opened_at"]).dt.total_seconds() / 3600
summary = last.groupby(["month", "priority"]).agg(
    tickets=("number", "size"),
    made_sla=("made_sla", "mean"),
    mean=("hours", "mean"),
    median=("hours", "median"),
    p90=("hours", lambda h: np.percentile(h.dropna(), 90) if h.notna().any() else np.nan),
)
done = df["incident_state"].isin(["Resolved", "Closed"])
previous_done = done.groupby(df["number"]).shift(fill_value=False)
reopens = int((previous_done & ~done).sum())
group = df["assignment_group"]
previous_group = group.groupby(df["number"]).shift()
reassignments = int((group.notna() & previous_group.notna() & (group != previous_group)).sum())
elapsed = time.perf_counter() - start
print(summary.tail(8))
print(f"reopens {reopens}, reassignments {reassignments}")
print(f"pandas {pd.__version__}: {elapsed * 1000:.0f} ms")
