"""The README's Python example runs as written and says what it shows."""

from __future__ import annotations

import datetime as dt
import re

from conftest import REPO


def test_the_readme_example_runs_and_its_comments_hold():
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## From Python") :]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)
    office, utc = scope["office"], scope["utc"]
    assert office.business_time(dt.datetime(2025, 4, 17, 14, tzinfo=utc), dt.datetime(2025, 4, 22, 8, tzinfo=utc)) == dt.timedelta(hours=2)
    rows = scope["task_sla"].to_pylist()
    assert [(r["ticket"], r["state"], r["business_elapsed"], r["breached"]) for r in rows] == [
        ("INC1", "met", dt.timedelta(hours=6), False),
        ("INC2", "running", dt.timedelta(hours=14), True),
    ]
