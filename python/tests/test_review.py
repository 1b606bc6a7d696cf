"""The review from Python on the ServiceNow slice shipped in examples/ (the
UCI incident event log; see examples/data/README.md): the same report as the
review command, the task_sla table agreeing with its figures, tidy rows."""

from __future__ import annotations

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
    with pytest.raises(sl.ConfigError):
        sl.ReportSpec({"catalog": {"calendars": {}, "services": [{"id": "x"}]}})
