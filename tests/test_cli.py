"""The command line end to end: through typer's runner and as a real process (what pipes see)."""

from __future__ import annotations

import json
import re
from datetime import datetime

from typer.testing import CliRunner

from flashgroup_cli.cli import app

from .conftest import EXAMPLES, ROOT, flashgroup_process

runner = CliRunner()
LOCATED = re.compile(r"^.+:\d+:\d+: error: .+$")


def test_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("timeline", "example"):
        assert command in result.stdout


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("flashgroup ")


def test_timeline_defaults_to_markdown_when_not_a_terminal():
    result = runner.invoke(app, ["timeline", str(EXAMPLES / "orange.yml")])
    assert result.exit_code == 0
    assert result.stdout.startswith('---\ntitle: "赣南脐橙年终快闪 · 时间线"\nlang: zh-CN\n---\n\n# 赣南脐橙年终快闪 · 时间线\n')
    assert "\x1b[" not in result.stdout


def test_timeline_json_contract_shape():
    result = runner.invoke(app, ["timeline", str(EXAMPLES / "retail.yml"), "--format", "json"])
    doc = json.loads(result.stdout)
    assert doc["campaign"]["variant"] == "standard" and doc["campaign"]["timezone"] == "Asia/Shanghai"
    assert doc["groups"] == ["邻里优选周末福利1群", "邻里优选周末福利2群", "邻里优选周末福利3群"]
    for event in doc["events"]:
        assert {"kind", "channel", "at", "trigger", "rules", "title", "text"} <= set(event)
        assert (event["at"] is None) == (event["trigger"] is not None)
        if event["at"]:
            assert datetime.fromisoformat(event["at"]).utcoffset() is not None


def test_timeline_compressed_variant():
    result = runner.invoke(app, ["timeline", str(EXAMPLES / "retail.yml"), "-f", "json", "--compressed"])
    assert json.loads(result.stdout)["campaign"]["variant"] == "compressed"


def test_timeline_csv_has_bom_and_header():
    result = runner.invoke(app, ["timeline", str(EXAMPLES / "retail.yml"), "--format", "csv"])
    assert result.stdout.startswith("\ufeff日期,时间,相对开始,触发条件,渠道,执行人,动作,文案,运营备注,规则")


def test_invalid_campaign_exit_1_located_lines_and_nothing_on_stdout(write_campaign):
    path = write_campaign(duration="0m", timezone="Nowhere/City")
    result = runner.invoke(app, ["timeline", str(path), "--format", "json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and all(LOCATED.match(line) for line in lines)


def test_missing_file_is_exit_1_with_a_located_message(tmp_path):
    result = runner.invoke(app, ["timeline", str(tmp_path / "missing.yml")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{tmp_path / 'missing.yml'}:1:1: error: no such file"


def test_usage_errors_exit_2():
    assert runner.invoke(app, ["timeline"]).exit_code == 2
    assert runner.invoke(app, ["timeline", str(EXAMPLES / "orange.yml"), "--format", "pdf"]).exit_code == 2
    assert runner.invoke(app, ["timeline", str(EXAMPLES / "orange.yml"), "--bogus"]).exit_code == 2
    assert runner.invoke(app, ["nope"]).exit_code == 2


def test_example_lists_and_prints():
    listing = runner.invoke(app, ["example"])
    assert listing.exit_code == 0 and "retail" in listing.stdout.split()
    printed = runner.invoke(app, ["example", "retail"])
    assert printed.stdout == (EXAMPLES / "retail.yml").read_text(encoding="utf-8")
    assert runner.invoke(app, ["example", "nope"]).exit_code == 2


def test_real_process_pipe_gives_markdown_and_utf8(tmp_path):
    proc = flashgroup_process("timeline", str(EXAMPLES / "orange.yml"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("---\n") and "\n# 赣南脐橙年终快闪" in proc.stdout and proc.stderr == ""


def test_real_process_bad_inputs_never_show_a_traceback(tmp_path):
    bad = {
        "empty.yml": b"",
        "list.yml": b"- 1\n- 2\n",
        "syntax.yml": b"name: [\n",
        "tag.yml": b"name: !!python/object/apply:os.system ['true']\n",
        "binary.yml": b"\xff\xfe\x00garbage",
    }
    for name, content in bad.items():
        (tmp_path / name).write_bytes(content)
    for target in [*bad, ".", "missing.yml"]:
        proc = flashgroup_process("timeline", target, "--format", "json", cwd=tmp_path)
        assert proc.returncode == 1, (target, proc.stderr)
        assert proc.stdout == ""
        assert "Traceback" not in proc.stderr
        assert all(LOCATED.match(line) for line in proc.stderr.strip().splitlines()), proc.stderr


def test_python_dash_m_works():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "flashgroup_cli", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout.startswith("flashgroup ")
