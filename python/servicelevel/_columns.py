"""Columns and tables in, Arrow out: the conversions around the native kernels.

Every column is turned into a pyarrow array of ``timestamp[ns, UTC]`` (or
``duration[ns]``, or ``string``) before the engine sees it, so the kernels
read one layout whatever the source: pyarrow, pandas, Polars, numpy, a list,
or anything speaking the Arrow PyCapsule interface. Results come back in the
kind of the input (a pandas Series for a pandas Series, ...).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from . import _native

TIMESTAMP = pa.timestamp("ns", tz="UTC")
DURATION = pa.duration("ns")

#: The schema of :func:`evaluate`'s result, one row per ticket x policy x cycle.
TASK_SLA_SCHEMA = pa.schema(
    [
        ("ticket", pa.string()),
        ("policy", pa.string()),
        ("cycle", pa.uint32()),
        ("state", pa.string()),
        ("calendar", pa.string()),
        ("start", TIMESTAMP),
        ("stop", TIMESTAMP),
        ("due", TIMESTAMP),
        ("breached_at", TIMESTAMP),
        ("target", DURATION),
        ("business_elapsed", DURATION),
        ("wall_elapsed", DURATION),
        ("business_paused", DURATION),
        ("wall_paused", DURATION),
        ("time_left", DURATION),
        ("percent", pa.decimal128(38, 6)),
        ("wall_percent", pa.decimal128(38, 6)),
        ("breached", pa.bool_()),
        ("error", pa.string()),
    ]
)


def _input_error(kind: str, message: str, field: str | None = None) -> _native.InputError:
    error = _native.InputError(message)
    error.kind, error.field, error.input, error.ticket, error.row = kind, field, None, None, None
    return error


def _kind_of(values: Any) -> str:
    module = type(values).__module__.split(".")[0]
    if module in ("pandas", "polars", "numpy"):
        return module
    return "arrow"


def _as_array(values: Any, name: str) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks()
    if isinstance(values, pa.Array):
        return values
    if hasattr(values, "__arrow_c_array__") or hasattr(values, "__arrow_c_stream__"):
        got = pa.array(values) if hasattr(values, "__arrow_c_array__") else pa.chunked_array(values)
        return got.combine_chunks() if isinstance(got, pa.ChunkedArray) else got
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as error:
        raise _input_error("not_a_column", f"`{name}` is not a column pyarrow can read: {error}", name) from None


def _timestamps(values: pa.Array, name: str, naive: str) -> pa.Array:
    kind = values.type
    if not pa.types.is_timestamp(kind):
        raise _input_error("not_timestamps", f"`{name}` must hold timestamps, got {kind}", name)
    if kind.tz is None:
        if naive == "error":
            raise _input_error(
                "naive_datetime",
                f"`{name}` holds naive timestamps ({kind}): give them a time zone, "
                "or pass naive=\"utc\" or naive=\"<IANA zone>\" to say which they are in",
                name,
            )
        if naive == "utc":
            values = values.cast(pa.timestamp(kind.unit, tz="UTC"))
        else:
            values = pc.assume_timezone(values, timezone=naive, ambiguous="raise", nonexistent="raise")
    try:
        return values.cast(TIMESTAMP)
    except pa.ArrowInvalid as error:
        raise _input_error("timestamp_out_of_range", f"`{name}`: {error}", name) from None


def _durations(values: pa.Array, name: str) -> pa.Array:
    if not pa.types.is_duration(values.type):
        raise _input_error("not_durations", f"`{name}` must hold durations, got {values.type}", name)
    return values.cast(DURATION)


def _broadcast(scalar: Any, length: int, arrow_type: pa.DataType) -> pa.Array:
    return pa.array([scalar] * length, type=arrow_type)


def _like(template: Any, result: pa.Array) -> Any:
    kind = _kind_of(template)
    if kind == "pandas":
        import pandas as pd

        return pd.Series(result.to_pandas(), index=getattr(template, "index", None), name=getattr(template, "name", None))
    if kind == "polars":
        import polars as pl

        return pl.from_arrow(result)
    if kind == "numpy":
        return result.to_numpy(zero_copy_only=False)
    return result


def business_time(calendar: Any, start: Any, end: Any, naive: str = "error") -> Any:
    """``Calendar.business_time`` over columns (a scalar side is repeated)."""
    scalar_start, scalar_end = isinstance(start, _dt.datetime), isinstance(end, _dt.datetime)
    template = end if scalar_start else start
    if scalar_start:
        ends = _timestamps(_as_array(end, "end"), "end", naive)
        starts = _broadcast(start, len(ends), TIMESTAMP) if start.tzinfo else _timestamps(_as_array([start], "start"), "start", naive)
    elif scalar_end:
        starts = _timestamps(_as_array(start, "start"), "start", naive)
        ends = _broadcast(end, len(starts), TIMESTAMP) if end.tzinfo else _timestamps(_as_array([end], "end"), "end", naive)
    else:
        starts = _timestamps(_as_array(start, "start"), "start", naive)
        ends = _timestamps(_as_array(end, "end"), "end", naive)
    return _like(template, calendar._business_time_ns(starts, ends))


def add_business_time(calendar: Any, start: Any, amount: Any, naive: str = "error", convention: str = "earliest_instant") -> Any:
    """``Calendar.add_business_time`` over columns (a scalar side is repeated)."""
    if isinstance(start, _dt.datetime):
        amounts = _durations(_as_array(amount, "amount"), "amount")
        if start.tzinfo is None:
            _timestamps(_as_array([start], "start"), "start", naive)
        starts = _broadcast(start, len(amounts), TIMESTAMP)
        template = amount
    else:
        starts = _timestamps(_as_array(start, "start"), "start", naive)
        if isinstance(amount, _dt.timedelta):
            amounts = _broadcast(amount, len(starts), DURATION)
        else:
            amounts = _durations(_as_array(amount, "amount"), "amount")
        template = start
    return _like(template, calendar._add_business_time_ns(starts, amounts, convention))


def _as_table(events: Any) -> pa.Table:
    if isinstance(events, pa.Table):
        return events
    if isinstance(events, pa.RecordBatch):
        return pa.Table.from_batches([events])
    if _kind_of(events) == "pandas":
        return pa.Table.from_pandas(events, preserve_index=False)
    if hasattr(events, "__arrow_c_stream__"):
        return pa.table(events)
    if hasattr(events, "to_arrow"):
        return events.to_arrow()
    raise _input_error(
        "not_a_table",
        f"events must be a pyarrow Table, a pandas or Polars DataFrame, or an Arrow stream; got {type(events).__name__}",
    )


def _column(table: pa.Table, name: str, role: str) -> pa.ChunkedArray:
    if name not in table.column_names:
        raise _input_error(
            "unknown_column",
            f"no column {name!r} for the {role} (the columns are {', '.join(table.column_names)})",
            name,
        )
    return table.column(name)


def _strings(column: pa.ChunkedArray, name: str) -> pa.ChunkedArray:
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = column.type
    if pa.types.is_string(kind):
        return column
    if pa.types.is_large_string(kind) or pa.types.is_string_view(kind) or pa.types.is_integer(kind) or pa.types.is_boolean(kind) or pa.types.is_null(kind):
        return column.cast(pa.string())
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return column.cast(pa.string())
    raise _input_error("not_strings", f"column {name!r} holds {kind}: field values must be text or numbers", name)


def evaluate(
    events: Any,
    policies: Any = None,
    calendar: _native.Calendar | None = None,
    as_of: _dt.datetime | None = None,
    *,
    spec: _native.ReportSpec | None = None,
    service: str | None = None,
    profile: _native.ExportProfile | None = None,
    ticket: str = "ticket",
    at: str = "at",
    action: str | None = None,
    fields: list[str] | None = None,
    rows: str = "changes",
    errors: str = "raise",
    naive: str = "error",
) -> pa.Table:
    """One row per ticket x policy x cycle (:data:`TASK_SLA_SCHEMA`), as of ``as_of``.

    ``events`` has one row per event: the ticket id, the instant, optionally
    an action (``"agent_reply"``...), and one column per field. A ticket's
    first row (by instant) creates it; ``rows="changes"`` reads a null cell
    as "unchanged", ``rows="snapshots"`` as "cleared". ``errors="report"``
    turns a ticket the engine cannot evaluate into a row with ``state ==
    "error"`` and the reason, instead of raising.

    Instead of an events table, ``events`` may be a raw export read with
    ``profile=`` (a CSV path or a table of its rows), or an
    :class:`Ingested`; and instead of ``policies`` and ``calendar``,
    ``spec=`` (with ``service=`` if its catalog has several) measures each
    of the service's policies on its own calendar or calendar route.
    """
    if as_of is None:
        raise _input_error("missing_as_of", "`as_of` is required: evaluation never reads the clock", "as_of")
    if isinstance(policies, _native.Policy):
        policies = [policies]
    policies = list(policies or [])
    if profile is not None and not isinstance(events, _native.Ingested):
        from ._review import ingest

        events = ingest(events, profile)
    if isinstance(events, _native.Ingested):
        return _native._evaluate_ingested(events, policies, calendar, spec, service, as_of, errors)
    if (spec is not None) == bool(calendar is not None and policies):
        raise _input_error(
            "policies_or_spec", "give either `policies` with a `calendar`, or a `spec` (whose catalog has both)"
        )
    table = _as_table(events)
    if not all(isinstance(p, _native.Policy) for p in policies):
        raise _input_error("not_a_policy", "policies must be servicelevel.Policy objects")
    ticket_column = _strings(_column(table, ticket, "ticket"), ticket)
    at_column = _column(table, at, "instant")
    at_column = pa.chunked_array(
        [_timestamps(chunk, at, naive) for chunk in at_column.chunks] or [pa.array([], type=TIMESTAMP)],
        type=TIMESTAMP,
    )
    named = [ticket, at] + ([action] if action else [])
    if fields is None:
        fields = [name for name in table.column_names if name not in named]
    columns = {ticket: ticket_column, at: at_column}
    if action:
        columns[action] = _strings(_column(table, action, "action"), action)
    for field in fields:
        columns[field] = _strings(_column(table, field, "field"), field)
    prepared = pa.table(columns)
    return _native._evaluate(prepared, policies, calendar, as_of, ticket, at, action, fields, rows, errors, spec, service)
