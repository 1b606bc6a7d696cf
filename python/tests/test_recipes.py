"""The README's DuckDB and Polars recipes, as written there."""

from __future__ import annotations

import datetime as dt

import pytest

import servicelevel as sl

UTC = dt.timezone.utc


@pytest.fixture
def berlin():
    weekdays = {d: [["09:00", "17:00"]] for d in ["mon", "tue", "wed", "thu", "fri"]}
    return sl.Calendar({"time_zone": "Europe/Berlin", "weekly": weekdays, "holidays": []})


def test_duckdb_arrow_udf(berlin):
    duckdb = pytest.importorskip("duckdb")
    from duckdb.sqltypes import INTERVAL, TIMESTAMP_TZ

    con = duckdb.connect()
    business_time = lambda opened, closed: berlin.business_time(opened, closed)  # noqa: E731
    con.create_function("business_time", business_time, [TIMESTAMP_TZ, TIMESTAMP_TZ], INTERVAL, type="arrow")
    con.sql("create table tickets as select timestamptz '2025-03-07 15:00:00+00' as opened, timestamptz '2025-03-10 09:00:00+00' as closed")
    # Friday 16:00-17:00 and Monday 09:00-10:00 in Berlin.
    assert con.sql("select business_time(opened, closed) from tickets").fetchall() == [(dt.timedelta(hours=2),)]


def test_polars_columns(berlin):
    pl = pytest.importorskip("polars")
    df = pl.DataFrame({"opened": [dt.datetime(2025, 3, 7, 15, tzinfo=UTC)], "closed": [dt.datetime(2025, 3, 10, 9, tzinfo=UTC)]})
    out = df.with_columns(business=berlin.business_time(df["opened"], df["closed"]))
    assert out["business"].to_list() == [dt.timedelta(hours=2)]
