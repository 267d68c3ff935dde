"""Issue 5 end to end: files and folders of campaigns, atomic writes, CSV read back, Markdown to .docx with pandoc."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import zipfile

import pytest
from typer.testing import CliRunner

from flashgroup_cli.cli import app

from .conftest import EXAMPLES, campaign_yaml

runner = CliRunner()


@pytest.fixture
def campaigns(tmp_path):
    folder = tmp_path / "campaigns"
    (folder / "north").mkdir(parents=True)
    for example in EXAMPLES.glob("*.yml"):
        shutil.copy(example, folder / example.name)
    shutil.copy(EXAMPLES / "orange.yml", folder / "north" / "orange.yml")  # same name, other folder
    (folder / "broken.yml").write_text(campaign_yaml(duration="0m"), encoding="utf-8")
    return folder


def test_folder_to_folder_writes_the_good_reports_the_bad_and_exits_1(campaigns, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["plan", str(campaigns), "-o", str(out), "--format", "ics"])
    assert result.exit_code == 1
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["apples-en.ics", "north/orange.ics", "orange.ics", "retail.ics"]
    assert "broken.yml:" in result.stderr and "duration" in result.stderr
    assert "wrote 4 ics files" in result.stderr and "1 failed" in result.stderr
    assert not list(out.rglob("*.part")) and not (out / "broken.ics").exists()


def test_a_failing_rerun_leaves_the_earlier_good_file_untouched(tmp_path):
    campaign = tmp_path / "c.yml"
    campaign.write_text(campaign_yaml(), encoding="utf-8")
    out = tmp_path / "plan.md"
    assert runner.invoke(app, ["plan", str(campaign), "-o", str(out)]).exit_code == 0
    before = out.read_bytes()
    campaign.write_text(campaign_yaml(timezone="Nowhere/Nothing"), encoding="utf-8")
    result = runner.invoke(app, ["plan", str(campaign), "-o", str(out)])
    assert result.exit_code == 1 and out.read_bytes() == before
    assert {p.name for p in tmp_path.iterdir()} == {"c.yml", "plan.md"}  # no temporary file left behind


def test_output_format_follows_the_file_suffix(tmp_path):
    for suffix, starts in (
        ("json", "{"),
        ("csv", "\ufeff"),
        ("ics", "BEGIN:VCALENDAR"),
        ("md", "---\ntitle: "),
        ("txt", "社区生鲜周末快闪 · 时间线\n"),
    ):
        out = tmp_path / f"timeline.{suffix}"
        assert runner.invoke(app, ["timeline", str(EXAMPLES / "retail.yml"), "-o", str(out)]).exit_code == 0
        assert out.read_text(encoding="utf-8").startswith(starts), suffix


def test_several_campaigns_without_output_folder_is_a_usage_error():
    result = runner.invoke(app, ["timeline", str(EXAMPLES / "orange.yml"), str(EXAMPLES / "retail.yml")])
    assert result.exit_code == 2 and "-o" in result.stderr


def test_method_errors_stop_the_campaign_and_warnings_only_warn(tmp_path):
    bad = tmp_path / "extension.yml"
    bad.write_text(campaign_yaml() + "extension: 50\n", encoding="utf-8")
    result = runner.invoke(app, ["plan", str(bad)])
    assert result.exit_code == 1 and result.stdout == "" and "END-1 error" in result.stderr
    warned = tmp_path / "helpers.yml"
    warned.write_text(campaign_yaml(group={"size": 120, "helpers": 2}), encoding="utf-8")
    result = runner.invoke(app, ["timeline", str(warned), "-f", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout) and "GR-5 warning" in result.stderr


def test_csv_run_sheet_reads_back_with_chinese_and_multiline_copy_intact():
    result = runner.invoke(app, ["plan", str(EXAMPLES / "retail.yml"), "--format", "csv"])
    raw = result.stdout_bytes if hasattr(result, "stdout_bytes") else result.stdout.encode()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    doc = json.loads(runner.invoke(app, ["plan", str(EXAMPLES / "retail.yml"), "--format", "json"]).stdout)
    assert len(rows) == len(doc["events"])
    assert [r["文案"] for r in rows] == [e["text"] for e in doc["events"]]
    assert any("\n" in r["文案"] for r in rows)
    chain = next(r for r in rows if r["kind"] == "group.chain")
    assert chain["相对开始"] == "T+3m" and chain["执行人"] == "群主+水军3、4" and "#接龙" in chain["文案"]
    cue = next(r for r in rows if r["kind"] == "group.stock_update")
    assert cue["时间"] == "" and cue["触发条件"]


@pytest.mark.parametrize(
    ("example", "header"),
    [
        ("retail.yml", "日期,时间,相对开始,触发条件,渠道,执行人,动作,文案,运营备注,规则,kind,at"),
        ("apples-en.yml", "date,time,offset,trigger,channel,who,action,copy,note,rules,kind,at"),
    ],
)
def test_csv_columns_read_left_to_right_and_carry_the_operator_notes(example, header):
    # When, where, who, what, the copy, the operator's note (pictures, envelopes), the rules; then the tools' columns.
    raw = runner.invoke(app, ["plan", str(EXAMPLES / example), "--format", "csv"]).stdout
    assert raw.removeprefix("\ufeff").splitlines()[0] == header
    rows = list(csv.reader(io.StringIO(raw.removeprefix("\ufeff"))))[1:]
    events = json.loads(runner.invoke(app, ["plan", str(EXAMPLES / example), "--format", "json"]).stdout)["events"]
    assert [r[8] for r in rows] == [e["note"] for e in events]
    assert [r[7] for r in rows] == [e["text"] for e in events]
    assert sum(1 for r in rows if r[8]) >= 5
    envelopes = next(r for r, e in zip(rows, events) if e["kind"] == "group.red_envelopes")
    assert envelopes[8] and envelopes[9] == "GR-6"


def test_markdown_plan_converts_to_docx_with_pandoc(tmp_path):
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        if os.environ.get("CI"):
            pytest.fail("pandoc is missing in CI (.ci/run installs it)")
        pytest.skip("pandoc not installed")
    markdown = tmp_path / "plan.md"
    assert runner.invoke(app, ["plan", str(EXAMPLES / "retail.yml"), "-o", str(markdown)]).exit_code == 0
    docx = tmp_path / "plan.docx"
    subprocess.run([pandoc, str(markdown), "-o", str(docx)], check=True, timeout=120)
    with zipfile.ZipFile(docx) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert "社区生鲜周末快闪" in body and "#接龙" in body and "运营准备" in body


@pytest.mark.parametrize("jobs", ["1", "3"])
def test_two_calendars_of_one_sale_are_said_once_with_their_files(tmp_path, monkeypatch, jobs):
    """A lunch and an evening sale of one brand on one day, neither with an `id:`, give .ics files with the same
    UIDs: imported one after the other, the second replaces the first's events. The folder run writes both and says
    so, naming the files; an `id:` each (or another day) and nothing is said; other formats never say it."""
    monkeypatch.setenv("FLASHGROUP_JOBS", jobs)
    folder = tmp_path / "sales"
    folder.mkdir()
    (folder / "lunch.yml").write_text(campaign_yaml(name="午间快闪", start="2026-12-12 12:00"), encoding="utf-8")
    (folder / "evening.yml").write_text(campaign_yaml(name="晚间快闪", start="2026-12-12 20:00"), encoding="utf-8")
    (folder / "next-day.yml").write_text(campaign_yaml(name="次日快闪", start="2026-12-13 20:00"), encoding="utf-8")
    for i in range(6):  # enough campaigns for the workers to start (workers.MIN_CAMPAIGNS)
        (folder / f"other-{i}.yml").write_text(
            campaign_yaml(name=f"别的快闪{i}", start=f"2027-01-0{i + 1} 20:00", id=f"other-{i}"), encoding="utf-8"
        )
    result = CliRunner().invoke(app, ["plan", str(folder), "-o", str(tmp_path / "ics"), "--format", "ics"])
    assert result.exit_code == 0, result.output
    said = [line for line in result.output.splitlines() if "the same sale to a calendar" in line]
    assert said == [
        f"flashgroup: warning: {folder / 'evening.yml'}, {folder / 'lunch.yml'}: the same sale to a calendar (one `id:`, or one brand"
        " and start date without an `id:`): importing their .ics files, each replaces the events of the one before; give each sale"
        " its own `id:`"
    ]
    assert len(list((tmp_path / "ics").glob("*.ics"))) == 9
    (folder / "lunch.yml").write_text(campaign_yaml(name="午间快闪", start="2026-12-12 12:00", id="lunch-1212"), encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", str(folder), "-o", str(tmp_path / "ics2"), "--format", "ics"])
    assert result.exit_code == 0 and "same sale to a calendar" not in result.output
    (folder / "lunch.yml").write_text(campaign_yaml(name="午间快闪", start="2026-12-12 12:00"), encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", str(folder), "-o", str(tmp_path / "md"), "--format", "md"])
    assert result.exit_code == 0 and "same sale to a calendar" not in result.output
