"""Issue 13 (speed) changes that must not change behaviour: the process ends without the interpreter's teardown once
its output is flushed, the folder run's clash check is linear. Nothing here is timed (benchmarks live in bench/)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flashgroup_cli.batch import output_paths
from flashgroup_cli.cli import app
from flashgroup_cli.errors import UsageError

from .conftest import EXAMPLES, campaign_yaml, flashgroup_process

runner = CliRunner()


@pytest.mark.parametrize("fmt", ["md", "json", "csv", "ics"])
def test_a_real_process_prints_the_whole_output_before_it_exits(fmt, tmp_path):
    """The output is flushed before the process ends without teardown: a pipe gets every byte."""
    proc = flashgroup_process("plan", str(EXAMPLES / "retail.yml"), "--format", fmt, cwd=tmp_path)
    expected = runner.invoke(app, ["plan", str(EXAMPLES / "retail.yml"), "--format", fmt])
    assert proc.returncode == 0 and expected.exit_code == 0
    assert proc.stdout == expected.stdout and len(proc.stdout) > 1000


def test_exit_codes_and_stderr_survive_the_quick_exit(tmp_path):
    warning = tmp_path / "warn.yml"
    warning.write_text(campaign_yaml(audience=100, group={"size": 300, "name": "福利{n}群", "helpers": 6}), encoding="utf-8")
    checked = runner.invoke(app, ["timeline", str(warning), "--format", "json"])
    proc = flashgroup_process("timeline", str(warning), "--format", "json")
    assert (proc.returncode, proc.stdout, proc.stderr) == (checked.exit_code, checked.stdout, checked.stderr)
    assert proc.stderr  # a warning line, flushed before the exit
    assert flashgroup_process("timeline", str(tmp_path / "missing.yml")).returncode == 1
    assert flashgroup_process("timeline", "--no-such-option").returncode == 2
    assert flashgroup_process("--version").stdout.startswith("flashgroup ")


def test_a_reader_that_leaves_early_is_still_not_an_error():
    exe = Path(sys.executable).parent / "flashgroup"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "flashgroup_cli"]
    proc = subprocess.Popen([*command, "plan", str(EXAMPLES / "retail.yml")], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0 and b"Traceback" not in err


def test_a_folder_run_is_written_in_full(tmp_path):
    folder = tmp_path / "campaigns"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.yml").write_text(campaign_yaml(), encoding="utf-8")
    proc = flashgroup_process("plan", str(folder), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.md", "b.md", "c.md"]
    assert "wrote 3 md files" in proc.stderr


def test_output_paths_reports_every_clash_once_sorted(tmp_path):
    sources = [str(tmp_path / d / "x.yml") for d in ("one", "two")] + [str(tmp_path / d / "y.yml") for d in ("a", "b", "c")]
    sources += [str(tmp_path / "z.yml")]
    with pytest.raises(UsageError) as caught:
        output_paths(sources, sources, tmp_path / "out", "md")
    assert str(caught.value) == (
        f"several campaigns would write the same file: {tmp_path / 'out' / 'x.md'}, {tmp_path / 'out' / 'y.md'}; give them different names"
    )


def test_output_paths_over_many_campaigns(tmp_path):
    sources = [str(tmp_path / "in" / f"c{i:05}.yml") for i in range(5_000)]
    targets = output_paths(sources, [str(tmp_path / "in")], tmp_path / "out", "json")
    assert len(set(targets.values())) == 5_000 and targets[sources[7]] == tmp_path / "out" / "c00007.json"


SHIFTY_ZONES = [
    "America/New_York",
    "America/Sao_Paulo",  # changes at midnight
    "America/Havana",
    "Europe/Dublin",  # negative DST in the zone data
    "Europe/Moscow",  # 2011 and 2014: the standard offset moved
    "Africa/Casablanca",  # DST off during Ramadan
    "Australia/Lord_Howe",  # a 30-minute change
    "Pacific/Apia",  # skipped a whole day (2011)
]


@pytest.mark.parametrize("zone_name", SHIFTY_ZONES)
def test_the_dateutil_free_shortcut_agrees_with_dateutil_around_every_change(zone_name):
    """campaign_file only imports dateutil when a wall time's two readings differ; where they agree, dateutil must say
    'exists, once' — checked every 15 minutes over each day the zone changes its clocks, 2000-2037."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from dateutil import tz

    from flashgroup_cli.campaign_file import unchanged_at

    zone = ZoneInfo(zone_name)
    day = datetime(2000, 1, 1)
    checked = 0
    while day.year < 2038:
        after = day + timedelta(days=1)
        if day.replace(tzinfo=zone).utcoffset() != after.replace(tzinfo=zone).utcoffset():
            for step in range(-8, 2 * 96 + 8):
                local = (day + timedelta(minutes=15 * step)).replace(tzinfo=zone)
                if unchanged_at(local):
                    checked += 1
                    assert tz.datetime_exists(local) and not tz.datetime_ambiguous(local), local
                else:
                    assert not tz.datetime_exists(local) or tz.datetime_ambiguous(local), local
        day = after
    assert checked > 1000


@pytest.mark.parametrize("command", ["plan", "timeline"])
@pytest.mark.parametrize("compressed", [False, True])
def test_the_schedule_is_built_once_per_campaign(command, compressed, monkeypatch, tmp_path):
    """The checks that run first and the document share one schedule (issue 13)."""
    from flashgroup_cli import schedule

    built = []
    real = schedule.build_schedule

    def counting(campaign, compressed=False):  # type: ignore[no-untyped-def]
        built.append(compressed)
        return real(campaign, compressed=compressed)

    monkeypatch.setattr(schedule, "build_schedule", counting)
    args = [command, str(EXAMPLES / "retail.yml"), "--format", "json"] + (["--compressed"] if compressed else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert built == [compressed]


def test_plan_and_timeline_do_not_load_the_check_command():
    """plan and timeline print the checks' warnings with format_finding; the folder-checking module stays unloaded."""
    probe = (
        "import sys\nfrom flashgroup_cli.cli import app\ntry:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('flashgroup_cli.check_files' in sys.modules, file=sys.stderr)"
    )
    for command in ("timeline", "plan"):
        proc = subprocess.run(
            [sys.executable, "-c", probe, command, str(EXAMPLES / "retail.yml"), "--format", "json"], capture_output=True, text=True
        )
        assert proc.returncode == 0 and proc.stderr.strip().splitlines()[-1] == "False", proc.stderr
