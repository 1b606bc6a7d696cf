"""The review from Python on the ServiceNow slice shipped in examples/ (the
UCI incident event log; see examples/data/README.md): the same report as the
review command, the task_sla table agreeing with its figures, tidy rows."""

from __future__ import annotations

import datetime
import json
import pickle
import shutil
import subprocess

import pyarrow as pa
import pytest

import servicelevel as sl
from conftest import REPO

EXPORT = REPO / "examples" / "data" / "servicenow_incidents_slice.csv"
SOURCE = "examples/data/servicenow_incidents_slice.csv"  # as the review command names it


@pytest.fixture(scope="module")
def shipped():
    profile = sl.load_profile(REPO / "examples" / "profiles" / "servicenow_uci.toml")
    spec = sl.load_spec(REPO / "examples" / "profiles" / "servicenow_uci.review.json")
    ingested = sl.ingest(EXPORT, profile, source=SOURCE)
    return profile, spec, ingested


def test_the_review_is_the_review_commands(shipped):
    if shutil.which("cargo") is None:
        pytest.skip("no cargo to run the review command")
    _, spec, ingested = shipped
    command = ["cargo", "run", "--quiet", "-p", "servicelevel-review", "--", "--format", "json"]
    cli = json.loads(subprocess.run(command, cwd=REPO, check=True, capture_output=True, text=True).stdout)
    assert sl.review(ingested, spec).to_dict() == cli


def test_the_task_sla_table_agrees_with_the_reviews_figures(shipped):
    _, spec, ingested = shipped
    report = sl.review(ingested, spec).to_dict()
    table = sl.evaluate(ingested, spec=spec, as_of=ingested.latest).to_pandas()
    tickets = ingested.tickets
    for figures in report["services"][0]["total"]["overall"]["policies"]:
        rows = table[table.policy == figures["policy"]]
        open_ = rows.state.isin(["running", "paused"])
        counted = {
            "met": int((rows.state == "met").sum()),
            "breached": int((rows.state == "breached").sum()),
            "running": int((open_ & ~rows.breached.astype(bool)).sum()),
            "breached_running": int((open_ & rows.breached.astype(bool)).sum()),
            "cancelled": int((rows.state == "cancelled").sum()),
            "not_started": tickets - rows.ticket.nunique(),
        }
        compliance = {k: figures["compliance"][k] for k in counted}
        assert counted == compliance, figures["policy"]
    # The shipped slice's own numbers, as the README's review shows them.
    response = report["services"][0]["total"]["overall"]["policies"][0]["compliance"]
    assert (response["met"], response["breached"], response["percent"]) == (985, 283, "77.681388")


def test_tidy_rows(shipped):
    _, spec, ingested = shipped
    report = sl.review(ingested, spec)
    rows = report.rows()
    assert rows.schema.field("value").type == pa.decimal128(38, 9)
    frame = rows.to_pandas()
    plain = (frame.breakdown == "") & (frame.policy == "") & (frame.team == "")
    total = frame[(frame.period == "total") & (frame.measure == "tickets") & plain]
    assert list(total.value) == [report.to_dict()["services"][0]["total"]["overall"]["tickets"]]
    assert set(frame.unit) <= {"count", "percent", "seconds"}


def test_every_row_is_accounted_for(shipped):
    _, _, ingested = shipped
    ledger = json.loads(ingested.ledger_json())
    assert ledger["sources"][0]["rows"] == sum(1 for _ in EXPORT.open()) - 1
    assert "rejected" in ledger


def test_profiles_specs_and_reports_pickle(shipped):
    profile, spec, ingested = shipped
    report = sl.review(ingested, spec)
    for value in (profile, spec):
        assert pickle.loads(pickle.dumps(value)).to_json() == value.to_json()
    assert pickle.loads(pickle.dumps(report)).to_dict() == report.to_dict()


def test_bad_input_names_the_problem(shipped):
    profile, spec, ingested = shipped
    with pytest.raises(sl.InputError, match="no service"):
        sl.review(ingested, spec, service="payroll")
    with pytest.raises(sl.Error, match="number"):
        sl.ingest(pa.table({"not_the_ticket": ["x"]}), profile)
    with pytest.raises(sl.InputError, match="profile"):
        sl.review(EXPORT, spec)
    with pytest.raises(sl.ConfigError, match="missing field `name`") as raised:
        sl.ReportSpec({"catalog": {"calendars": {}, "services": [{"id": "x"}]}})
    assert raised.value.kind == "invalid_form"
    # A value rejected deep inside the spec (catalog, calendar, weekly hours)
    # keeps the crate's kind and the text.
    deep = {"time_zone": "UTC", "weekly": {"mon": [["9h00", "17:00"]]}}
    service = {"id": "x", "name": "x", "calendar": "office", "policies": []}
    with pytest.raises(sl.ConfigError, match="9h00") as raised:
        sl.ReportSpec({"catalog": {"calendars": {"office": deep}, "services": [service]}})
    assert (raised.value.kind, raised.value.input) == ("invalid_clock_time", "9h00")
    service["calendar"] = "elsewhere"
    with pytest.raises(sl.ConfigError, match="elsewhere") as raised:
        sl.ReportSpec({"catalog": {"calendars": {}, "services": [service]}})
    assert raised.value.kind == "invalid_catalog"


def _without_ledger(report: dict) -> dict:
    return {k: v for k, v in report.items() if k != "ledger"}


def test_parts_of_the_export_merge_into_the_whole_review(shipped):
    # Three shares of the shipped export, split by a hash of the ticket as a
    # Spark repartition would, each reviewed on its own and sent as a pickle.
    profile, spec, ingested = shipped
    table = sl.read_export(EXPORT)
    as_of = ingested.latest
    numbers = table.column("number").to_pylist()
    shares = [[i for i, n in enumerate(numbers) if sum(map(ord, n)) % 3 == k] for k in range(3)]
    parts = [
        pickle.loads(pickle.dumps(sl.review_part(table.take(rows), spec, profile, as_of=as_of, source=f"share {k}")))
        for k, rows in enumerate(shares)
    ]
    assert sum(p.tickets for p in parts) == ingested.tickets
    merged = sl.merge_review_parts(parts, spec, as_of=as_of).to_dict()
    whole = sl.review(ingested, spec).to_dict()
    assert _without_ledger(merged) == _without_ledger(whole)
    ledger = merged["ledger"]
    assert [s["name"] for s in ledger["sources"]] == ["share 0", "share 1", "share 2"]
    assert sum(s["rows"] for s in ledger["sources"]) == len(numbers)
    assert (ledger["used"], ledger["tickets"], len(ledger["rejected"])) == (
        whole["ledger"]["used"],
        whole["ledger"]["tickets"],
        len(whole["ledger"]["rejected"]),
    )


def test_a_part_as_of_another_instant_is_refused(shipped):
    profile, spec, ingested = shipped
    part = sl.review_part(ingested, spec, as_of=ingested.latest)
    later = ingested.latest + datetime.timedelta(seconds=1)
    with pytest.raises(sl.ConfigError, match="another spec or as of another instant"):
        sl.merge_review_parts([part], spec, as_of=later)
