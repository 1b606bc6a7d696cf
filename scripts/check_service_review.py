"""Independent check of figures printed by examples/service_review.rs.

Plain Python (csv module only), no servicelevel code: reads the UCI
ServiceNow export, orders each incident's rows by (sys_updated_at,
sys_mod_count) and counts rows, incidents, rejected rows, resolutions,
reopens and reassignments the way the example's docs define them.

    python3 scripts/check_service_review.py [FILE]
"""
import csv
import sys
from collections import defaultdict
from datetime import datetime

path = sys.argv[1] if len(sys.argv) > 1 else "examples/data/servicenow_incidents_slice.csv"
STATUS = {"New": "new", "Active": "in_progress", "Resolved": "resolved", "Closed": "closed"}


def when(text):
    return datetime.strptime(text, "%d/%m/%Y %H:%M")


rows = 0
rejected = defaultdict(int)
incidents = defaultdict(list)
for r in csv.DictReader(open(path, encoding="utf-8")):
    rows += 1
    state = r["incident_state"]
    if state == "-100":
        rejected["undocumented state -100"] += 1
        continue
    status = "on_hold" if state.startswith("Awaiting ") else STATUS[state]
    tracked = (status, r["priority"], r["assignment_group"], r["assigned_to"], r["category"])
    incidents[r["number"]].append(
        (when(r["sys_updated_at"]), int(r["sys_mod_count"]), tracked, when(r["opened_at"]))
    )

resolutions = reopens = reassignments = reassigned = 0
for number, updates in incidents.items():
    updates.sort(key=lambda u: (u[0], u[1]))
    opened = updates[0][3]
    early = [u for u in updates if u[0] < opened]
    rejected["update before opened_at"] += len(early)
    updates = [u for u in updates if u[0] >= opened]
    previous = updates[0][2]
    done = previous[0] in ("resolved", "closed")
    resolutions += done
    moved = False
    seen_rows = set()
    for at, mod_count, tracked, _ in updates:
        key = (at, mod_count, tracked)
        if key in seen_rows:
            rejected["repeated row (same instant, sys_mod_count and values)"] += 1
            continue
        seen_rows.add(key)
        now_done = tracked[0] in ("resolved", "closed")
        resolutions += now_done and not done
        reopens += done and not now_done
        group, old = tracked[2], previous[2]
        if group != old and group != "?" and old != "?":
            reassignments += 1
            moved = True
        done, previous = now_done, tracked
    reassigned += moved

print(f"rows {rows}, incidents {len(incidents)}, rejected {dict(sorted(rejected.items()))}")
print(f"resolutions {resolutions}, reopens {reopens}, reassignments {reassignments} on {reassigned} tickets")
