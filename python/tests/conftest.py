"""Shared helpers: the repository's scenario files and the crate's text forms."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
UTC = dt.timezone.utc


def scenario_files(kind: str) -> list[Path]:
    return sorted((REPO / "testdata" / kind).glob("*.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def nanos_of_duration(text: str) -> int:
    """The crate's duration text (`1h30m`, `-24h`, `0.5s`, `120m`) in nanoseconds."""
    match = re.fullmatch(r"(-)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)(?:\.(\d+))?s)?", text)
    assert match and text not in ("", "-"), text
    sign, d, h, m, s, frac = match.groups()
    total = ((int(d or 0) * 24 + int(h or 0)) * 60 + int(m or 0)) * 60 + int(s or 0)
    ns = total * 1_000_000_000 + int((frac or "").ljust(9, "0")[:9] or 0)
    return -ns if sign else ns


def nanos_of_instant(text: str) -> int:
    """An RFC 3339 instant in nanoseconds since the epoch (fractions kept to the nanosecond)."""
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})", text)
    assert match, text
    whole, frac, zone = match.groups()
    base = dt.datetime.fromisoformat(whole + ("+00:00" if zone == "Z" else zone))
    seconds = int(base.timestamp())
    return seconds * 1_000_000_000 + int((frac or "").ljust(9, "0")[:9] or 0)


def instant(text: str) -> dt.datetime:
    """An instant to the microsecond (what datetime holds)."""
    ns = nanos_of_instant(text)
    return dt.datetime.fromtimestamp(ns // 1000 / 1_000_000, tz=UTC) if ns % 1000 == 0 else pytest.fail(text)


@pytest.fixture
def office():
    import servicelevel as sl

    weekdays = {day: [["09:00", "17:00"]] for day in ["mon", "tue", "wed", "thu", "fri"]}
    return sl.Calendar({"time_zone": "UTC", "weekly": weekdays, "holidays": []})
