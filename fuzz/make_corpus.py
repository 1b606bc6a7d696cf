#!/usr/bin/env python3
"""Seeds each fuzz target's corpus from the repository's test data.

Writes fuzz/corpus/<target>/seed-*: the calendars, policies, agreements and
export profiles of testdata/ and examples/profiles/, each followed (after a
NUL byte) by deterministic pseudo-random bytes for the instants and events.
Run from anywhere; the corpus directory is not committed (fuzz/.gitignore).
"""
import json, pathlib, random, tomllib

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"
rng = random.Random(14)


def tail(n=256):
    return bytes(rng.randrange(256) for _ in range(n))


def write(target, name, data):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    (d / f"seed-{name}").write_bytes(data)


for path in sorted((root / "testdata" / "calendar").glob("*.json")):
    calendar = json.loads(path.read_text())["calendar"]
    for k in range(3):
        write("calendar", f"{path.stem}-{k}", json.dumps(calendar).encode() + b"\0" + tail())

for path in sorted((root / "testdata" / "sla").glob("*.json")):
    scenario = json.loads(path.read_text())
    for i, policy in enumerate(scenario.get("policies", [])):
        for k in range(2):
            write("sla", f"{path.stem}-{i}-{k}", json.dumps(policy).encode() + b"\0" + tail(160))

texts = ["09:00-17:00", "24:00", "12-25", "last mon of may", "2nd tue of nov", "99.9", "99.9%", "4h",
         "3 working days", "1h30m", "-45m", "PT45H23M30.92S", "P1DT2H", "month", "quarter", "2024-Q3",
         "rfc3339", "unix_millis", "%Y-%m-%d %H:%M:%S", "1.5s"]
for i, text in enumerate(texts):
    write("parsers", f"text-{i}", text.encode())

for path in sorted((root / "testdata" / "availability").glob("*.json")):
    write("availability", path.stem, tail(600))
for k in range(8):
    write("availability", f"random-{k}", tail(900))

slices = root / "examples" / "data"
for path in sorted((root / "examples" / "profiles").glob("*.toml")):
    profile = tomllib.loads(path.read_text())
    csvs = sorted(slices.glob("*.csv"))
    for csv in csvs[:4]:
        lines = csv.read_text(errors="replace").splitlines()[:40]
        write("ingest", f"{path.stem}-{csv.stem}", json.dumps(profile).encode() + b"\0" + "\n".join(lines).encode())
