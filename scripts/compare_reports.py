#!/usr/bin/env python3
"""Compare the figures of two `Report` JSON files across a change of shape.

Usage: compare_reports.py BEFORE.json AFTER.json

Both files are brought to one canonical shape before comparing, so a
change in how the report is laid out (breakdown groups as `[key, figures]`
pairs or as `{"value", "figures"}` objects, the `(none)` sentinel or `null`,
period labels, a problem's `message` or `error`) is not a difference, while
any changed number, verdict, duration or count is. Prints the first
differences with their JSON path and exits 1 when there are any.

The configuration a report carries in its metadata (`catalog`, `lifecycle`)
is not compared: it says what the figures were computed with, and its
serialised shape changes with the API (a lifecycle with status roles, a
condition written `in` rather than `equals`). Run with `--config` to
compare it too.

This is how the 1.0 public-face change was checked: the three examples'
reports on the full shared exports carry the same figures before and after.
"""

import json
import re
import sys

# Keys that only exist in the new shape, or that describe the report run
# rather than its figures.
LAYOUT_ONLY = {"label"}


DURATION = re.compile(r"^(-?)(?:PT)?(?:(\d+)[hH])?(?:(\d+)[mM])?(?:(\d+)(?:\.(\d{1,9}))?[sS])?$")


def duration_nanos(text):
    """A duration in the crate's text form (`45h23m30.92s`) or in ISO 8601
    (`PT45H23M30.92S`, results since the export-profile change) as
    nanoseconds, or None for any other string."""
    m = DURATION.match(text)
    if not m or text in ("", "-", "PT", "-PT") or not any(m.group(i) for i in (2, 3, 4)):
        return None
    sign, h, mi, sec, frac = m.groups()
    nanos = ((int(h or 0) * 60 + int(mi or 0)) * 60 + int(sec or 0)) * 10**9 + int((frac or "0").ljust(9, "0"))
    return -nanos if sign else nanos


def canonical(node):
    # A known figure: `{"known": v}` before the export-profile change, `v` since.
    if isinstance(node, dict) and list(node) == ["known"]:
        return canonical(node["known"])
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in LAYOUT_ONLY:
                continue
            if key == "groups" and isinstance(value, list):
                out[key] = [canonical_group(g) for g in value]
            elif key == "problems" and isinstance(value, list):
                out[key] = [canonical_problem(p) for p in value]
            elif key == "lifecycle" and isinstance(value, dict):
                out[key] = {k: canonical(v) for k, v in value.items() if not (k == "waiting" and v == [])}
            else:
                out[key] = canonical(value)
        return out
    if isinstance(node, list):
        return [canonical(v) for v in node]
    if isinstance(node, str):
        nanos = duration_nanos(node)
        return node if nanos is None else {"duration_ns": nanos}
    return node


def canonical_group(group):
    if isinstance(group, list):  # the old `[key, figures]` pair
        key, figures = group
        return {"value": None if key == "(none)" else key, "figures": canonical(figures)}
    return {"value": group["value"], "figures": canonical(group["figures"])}


def canonical_problem(problem):
    problem = dict(problem)
    if "error" in problem:
        problem["message"] = problem.pop("error")["message"]
    return canonical(problem)


def differences(a, b, path="$"):
    if type(a) is not type(b):
        yield f"{path}: {json.dumps(a)[:80]} != {json.dumps(b)[:80]}"
    elif isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                yield f"{path}.{key}: only in {'after' if key in b else 'before'}"
            else:
                yield from differences(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        if len(a) != len(b):
            yield f"{path}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            yield from differences(x, y, f"{path}[{i}]")
    elif a != b:
        yield f"{path}: {json.dumps(a)} != {json.dumps(b)}"


CONFIG = ("catalog", "lifecycle")


def main():
    args = [a for a in sys.argv[1:] if a != "--config"]
    before, after = (canonical(json.load(open(p))) for p in args[:2])
    if "--config" not in sys.argv:
        for report in (before, after):
            for key in CONFIG:
                report.get("metadata", {}).pop(key, None)
    found = list(differences(before, after))
    for line in found[:20]:
        print(line)
    if found:
        print(f"{len(found)} differences")
        sys.exit(1)
    print("same figures")


if __name__ == "__main__":
    main()
