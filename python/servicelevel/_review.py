"""Exports, profiles and specs: files and DataFrames into the review.

The library does no I/O; this layer reads files (CSV as text, profiles and
specs as TOML or JSON) so that a review is three lines from Python.
"""

from __future__ import annotations

import csv
import datetime as _dt
import json
import tomllib
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from . import _native
from ._columns import _as_table, _input_error


def _config(path: str | Path) -> str:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".toml":
        return json.dumps(tomllib.loads(text))
    return text


def load_profile(path: str | Path) -> _native.ExportProfile:
    """An export profile from a ``.toml`` or ``.json`` file."""
    return _native.ExportProfile.from_json(_config(path))


def load_spec(path: str | Path) -> _native.ReportSpec:
    """A report spec from a ``.json`` or ``.toml`` file."""
    return _native.ReportSpec.from_json(_config(path))


def read_export(path: str | Path) -> pa.Table:
    """A CSV export with every column as text, exactly as written (no type
    guessing: ``01`` stays ``01``, an empty cell stays empty)."""
    path = Path(path)
    with path.open(newline="", encoding="utf-8") as file:
        header = next(csv.reader(file), None)
    if header is None:
        raise _input_error("empty_export", f"{path}: the file has no header row")
    options = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in header},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    return pacsv.read_csv(path, convert_options=options)


def _text_table(export: Any) -> tuple[pa.Table, str]:
    if isinstance(export, (str, Path)):
        return read_export(export), str(export)
    table = _as_table(export)
    columns = {name: table.column(name).cast(pa.string()) for name in table.column_names}
    return pa.table(columns), "export"


def ingest(export: Any, profile: _native.ExportProfile, *, source: str | None = None) -> _native.Ingested:
    """Reads an export (a CSV path, or a table of its rows) through a
    profile: the tickets' timelines and a ledger of where every row went."""
    table, name = _text_table(export)
    return _native._ingest(table, profile, source or name)


def review(
    export: Any,
    spec: _native.ReportSpec,
    profile: _native.ExportProfile | None = None,
    *,
    service: str | None = None,
    as_of: _dt.datetime | None = None,
) -> _native.Report:
    """The service review of an export (a CSV path or a table, read with
    ``profile``; or an :class:`Ingested`) under ``spec``, as of ``as_of``
    (the latest used row by default). ``report.to_dict()`` and
    ``report.rows()`` read it."""
    if not isinstance(export, _native.Ingested):
        if profile is None:
            raise _input_error("missing_profile", "an export needs its `profile` to be read")
        export = ingest(export, profile)
    return _native._review(export, spec, service, as_of)


def review_part(
    export: Any,
    spec: _native.ReportSpec,
    profile: _native.ExportProfile | None = None,
    *,
    as_of: _dt.datetime,
    service: str | None = None,
    source: str | None = None,
) -> _native.ReviewPart:
    """One worker's share of a review (a Spark partition's rows, a
    process's files): the tallies of its tickets and the ledger of its rows,
    as of ``as_of`` (required: every share must agree). A
    :class:`ReviewPart` pickles; :func:`merge_review_parts` adds the parts
    into the report of the whole export, exactly. The shares must hold
    different tickets (partition by the ticket column)."""
    if not isinstance(export, _native.Ingested):
        if profile is None:
            raise _input_error("missing_profile", "an export needs its `profile` to be read")
        export = ingest(export, profile, source=source)
    return _native._review_part(export, spec, as_of, service)


def merge_review_parts(
    parts: Any, spec: _native.ReportSpec, *, as_of: _dt.datetime
) -> _native.Report:
    """The report of every part (made from ``spec`` as of ``as_of``): the
    same report as :func:`review` of all their rows at once, the ledgers
    listed in the order the parts are given."""
    return _native._merge_review_parts(list(parts), spec, as_of)

