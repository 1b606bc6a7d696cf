"""Independent check of figures printed by examples/volvo_incidents.rs.

Plain Python (csv and datetime only), no servicelevel code: reads a BPI
Challenge 2013 incident log in the CSV layout of ../shared/data/bpi2013/,
orders each case's rows by instant (file order within an instant) and
counts rows, cases, rejected rows, resolutions, reopens and
reassignments the way the example's docs define them.

    python3 scripts/check_volvo.py [FILE]
"""
import csv
import sys
from collections import defaultdict
from datetime import datetime

path = sys.argv[1] if len(sys.argv) > 1 else "examples/data/volvo_incidents_sample.csv"
PHASES = {"Queued", "Accepted", "Completed"}
FINISHED = {"resolved", "in_call", "closed", "cancelled"}


def status(phase, sub):
    if phase == "Unmatched":
        return None, "status Unmatched (no lifecycle)"
    if phase not in PHASES:
        return None, "unknown status"
    return sub.lower().replace(" - ", "_").replace(" ", "_"), None


rows = 0
rejected = defaultdict(int)
cases = defaultdict(list)
for position, r in enumerate(csv.DictReader(open(path, encoding="utf-8"))):
    rows += 1
    if None in r or None in r.values():
        rejected["wrong number of fields"] += 1
        continue
    value, reason = status(r["concept:name"], r["lifecycle:transition"])
    if reason:
        rejected[reason] += 1
        continue
    try:
        at = datetime.fromisoformat(r["time:timestamp"])
    except ValueError:
        rejected["unreadable time:timestamp"] += 1
        continue
    tracked = (value, r["impact"], r["org:group"], r["org:resource"], r["product"], r["organization country"])
    cases[r["case:concept:name"]].append((at, position, tracked))

resolutions = reopens = reassignments = reassigned = 0
for case, updates in cases.items():
    updates.sort(key=lambda u: (u[0], u[1]))
    seen = set()
    kept = []
    for at, _, tracked in updates:
        if (at, tracked) in seen:
            rejected["repeated row (same instant and values)"] += 1
            continue
        seen.add((at, tracked))
        kept.append(tracked)
    done = kept[0][0] in FINISHED
    resolutions += done
    moved = False
    previous = kept[0]
    for tracked in kept[1:]:
        now_done = tracked[0] in FINISHED
        resolutions += now_done and not done
        reopens += done and not now_done
        if tracked[2] != previous[2]:
            reassignments += 1
            moved = True
        done, previous = now_done, tracked
    reassigned += moved

print(f"rows {rows}, cases {len(cases)}, rejected {dict(sorted(rejected.items()))}")
print(f"resolutions {resolutions}, reopens {reopens}, reassignments {reassignments} on {reassigned} tickets")
