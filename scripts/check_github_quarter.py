"""Independent check of one quarter printed by examples/status_availability.rs.

Plain Python, no servicelevel code: GitHub's Q3 2024 uptime under the
Enterprise Cloud SLA reading (critical and major incidents are downtime,
overlaps merged, maintenance windows excluded from the agreed time).

    python3 scripts/check_github_quarter.py [FILE]
"""
import csv
import sys
from datetime import datetime, timezone

path = sys.argv[1] if len(sys.argv) > 1 else "examples/data/github_downtime_windows.csv"


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def union(spans):
    out = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def minus(spans, holes):
    out = []
    for a, b in spans:
        pieces = [(a, b)]
        for c, d in holes:
            pieces = [p for x, y in pieces for p in ([(x, y)] if d <= x or c >= y else
                                                     [q for q in ((x, c), (d, y)) if q[0] < q[1]])]
        out += pieces
    return out


down, maintenance = [], []
for row in csv.DictReader(open(path, encoding="utf-8")):
    a, b = instant(row["downtime_start"]), instant(row["downtime_end"])
    if b <= a:
        continue
    if row["impact"] in ("critical", "major"):
        down.append((a, b))
    elif row["impact"] == "maintenance":
        maintenance.append((a, b))

start, end = datetime(2024, 7, 1, tzinfo=timezone.utc), datetime(2024, 10, 1, tzinfo=timezone.utc)
clip = lambda spans: [(max(a, start), min(b, end)) for a, b in spans if b > start and a < end]
seconds = lambda spans: sum((b - a).total_seconds() for a, b in spans)
held = clip(union(maintenance))
downtime = seconds(clip(minus(union(down), union(maintenance))))
agreed = (end - start).total_seconds() - seconds(held)
print(f"2024-Q3 downtime {downtime / 3600:.4f} h, uptime {100 * (agreed - downtime) / agreed:.3f}%")
