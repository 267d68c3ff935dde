"""The fast path (fastpath.py, issue 13) behaves exactly as the typer app: for a grid of command lines, valid and not,
`python -m flashgroup_cli ARGS` gives the same stdout bytes, stderr bytes, exit status and written files with the fast
path on and off (FLASHGROUP_NO_FAST_PATH=1). The grid says which lines the fast path must take, so the comparison is
never between typer and itself only."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from flashgroup_cli.fastpath import command_for

from .conftest import EXAMPLES

R = str(EXAMPLES / "retail.yml")
A = str(EXAMPLES / "apples-en.yml")
OR = str(EXAMPLES / "orange.yml")
E = str(EXAMPLES)

# Command lines the fast path runs itself ({bad}, {missing}, {empty}, {file} are filled in per run).
FAST = [
    ["--version"],
    ["-V"],
    ["timeline", R],
    ["timeline", R, "--format", "json"],
    ["timeline", R, "--format=json"],
    ["timeline", R, "-f", "csv"],
    ["timeline", "-f", "md", R],
    ["timeline", R, "--compressed", "-f", "text"],
    ["timeline", R, "-f", "table", "--color", "always"],
    ["timeline", R, "-f", "table", "--color=never"],
    ["timeline", R, "--color", "always"],
    ["timeline", R, "-f", "ics", "--remind", "15m"],
    ["timeline", R, "-f", "ics", "--remind", "99h"],
    ["timeline", R, "-f", "ics", "--remind", "soon"],
    ["timeline", R, "-f", "html"],
    ["timeline", R, "-f", "cards"],
    ["timeline", R, "-o", "out.json"],
    ["timeline", R, "-o", "out.txt", "--compressed"],
    ["timeline", R, "--output", "out.weird"],
    ["timeline", R, "-o", "-", "-f", "json"],
    ["timeline", R, "--no-pager", "-f", "text"],
    ["timeline", R, A],
    ["timeline", E],
    ["timeline", E, "-o", "outs"],
    ["timeline", "{missing}"],
    ["timeline", "{bad}"],
    ["timeline", "{bad}", R, "-o", "outs", "-f", "csv"],
    ["plan", R],
    ["plan", R, "-f", "md"],
    ["plan", OR, "--format", "json", "--compressed"],
    ["plan", A, "-f", "text", "--color", "always"],
    ["plan", R, "--format", "cards", "-o", "cards"],
    ["plan", R, "-f", "html", "-o", "page.html"],
    ["plan", R, "-o", "plan.md"],
    ["plan", R, "--templates", "{empty}", "-f", "md"],
    ["plan", R, "--templates", "{custom}"],
    ["plan", A, R, "-o", "outs", "-f", "csv"],
    ["plan", E, "-o", "outs", "--format", "ics", "--remind", "1h"],
    ["plan", "{bad}"],
    ["plan", R, "-o", "{file}"],
    ["check", R],
    ["check", R, "-f", "json"],
    ["check", R, A, OR],
    ["check", E, "--format=json"],
    ["check", R, "--now", "2026-12-10T09:00"],
    ["check", R, "--now", "2026-12-12T19:00+08:00", "--compressed"],
    ["check", R, "--now", "garbage"],
    ["check", R, "--lang", "en"],
    ["check", A, "--lang", "zh", "-f", "json"],
    ["check", R, "--select", "GR-5", "--select", "WU"],
    ["check", R, "--ignore", "WU,TIME"],
    ["check", R, "--ignore", "XX-99"],
    ["check", R, "--templates", "{custom}"],
    ["check", "{bad}"],
    ["check", "{missing}", R],
    ["check", "{empty}"],
]

# Command lines the fast path leaves to typer (help, usage errors, anything it does not know to be valid).
TYPER = [
    [],
    ["--help"],
    ["-h"],
    ["--version", "timeline"],
    ["timeline"],
    ["timeline", "--help"],
    ["timeline", R, "--help"],
    ["plan", "-h"],
    ["check", "--help"],
    ["timeline", R, "--format", "JSON"],
    ["timeline", R, "--format", "nope"],
    ["timeline", R, "--form", "json"],
    ["timeline", R, "--format"],
    ["timeline", R, "-fjson"],
    ["timeline", R, "--compressed=1"],
    ["timeline", R, "--compressed", "--compressed"],
    ["timeline", R, "-f", "json", "-f", "csv"],
    ["timeline", R, "--remind", "-5m"],
    ["timeline", R, "--remind", ""],
    ["timeline", R, "--color", "sometimes"],
    ["timeline", R, "--templates", "{empty}"],
    ["timeline", "--", R],
    ["timeline", ""],
    ["plan", R, "--templates", "{missing}"],
    ["plan", R, "--templates", R],
    ["plan", R, "--lang", "en"],
    ["check", R, "--lang", "fr"],
    ["check", R, "--now"],
    ["check", R, "--now", "-1"],
    ["check", R, "-f", "md"],
    ["check", R, "-o", "x"],
    ["nosuch", R],
    ["example", "retail"],
    ["rules", "GR-5"],
]


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("grid")
    bad = root / "bad.yml"
    bad.write_text("name: x\nstart: [\n", encoding="utf-8")
    empty = root / "empty"
    empty.mkdir()
    custom = root / "custom"
    custom.mkdir()
    shipped = Path(__file__).resolve().parent.parent / "templates" / "group.rules.zh.j2"
    (custom / shipped.name).write_text(shipped.read_text(encoding="utf-8") + "\n自定义结尾\n", encoding="utf-8")
    a_file = root / "a-file.txt"
    a_file.write_text("x\n", encoding="utf-8")
    return {
        "bad": str(bad),
        "missing": str(root / "missing.yml"),
        "empty": str(empty),
        "custom": str(custom),
        "file": str(a_file) + "/x.md",
    }


def _fill(args: list[str], places: dict[str, str]) -> list[str]:
    return [a.format(**places) if a.startswith("{") else a for a in args]


def _env(fast: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_COMPLETE") and k not in ("NO_COLOR", "FORCE_COLOR", "PAGER")}
    env.pop("FLASHGROUP_NO_FAST_PATH", None)
    env["COLUMNS"] = "100"
    if not fast:
        env["FLASHGROUP_NO_FAST_PATH"] = "1"
    return env


def _run(args: list[str], cwd: Path, fast: bool) -> tuple[int, bytes, bytes, dict[str, bytes]]:
    cwd.mkdir(parents=True)
    proc = subprocess.run(
        [sys.executable, "-m", "flashgroup_cli", *args], cwd=cwd, env=_env(fast), capture_output=True, stdin=subprocess.DEVNULL
    )
    files = {str(p.relative_to(cwd)): p.read_bytes() for p in sorted(cwd.rglob("*")) if p.is_file()}
    return proc.returncode, proc.stdout, proc.stderr, files


def _same_both_ways(args: list[str], tmp_path: Path) -> tuple[int, bytes, bytes, dict[str, bytes]]:
    with ThreadPoolExecutor(2) as pool:
        fast = pool.submit(_run, args, tmp_path / "fast", True)
        typer = pool.submit(_run, args, tmp_path / "typer", False)
        got, want = fast.result(), typer.result()
    assert got[0] == want[0], (args, got[2], want[2])
    assert got[2] == want[2], args
    assert got[1] == want[1], args
    assert got[3] == want[3], args
    return got


@pytest.mark.parametrize("args", FAST, ids=" ".join)
def test_fast_path_matches_typer(args, places, tmp_path):
    filled = _fill(args, places)
    assert command_for(filled, {}) is not None, "the fast path should take this command line"
    _same_both_ways(filled, tmp_path)


@pytest.mark.parametrize("args", TYPER, ids=lambda a: " ".join(a) or "(none)")
def test_other_lines_go_to_typer_unchanged(args, places, tmp_path):
    filled = _fill(args, places)
    assert command_for(filled, {}) is None, "the fast path must leave this command line to typer"
    _same_both_ways(filled, tmp_path)


def test_the_grid_covers_outcomes():
    """Valid runs, invalid campaigns and usage errors all go through the fast path in the grid."""
    assert {"--format", "-f", "--compressed", "-o", "--now", "--remind", "--templates", "--lang", "--color", "--no-pager"} <= {
        a.split("=")[0] for args in FAST for a in args
    }


def test_fast_path_exit_statuses(places, tmp_path):
    codes = {
        _same_both_ways(_fill(args, places), tmp_path / str(i))[0]
        for i, args in enumerate([["timeline", R], ["timeline", "{bad}"], ["timeline", R, "-f", "html"]])
    }
    assert codes == {0, 1, 2}


def test_completion_and_the_switch_go_to_typer():
    assert command_for(["timeline", R], {}) is not None
    assert command_for(["timeline", R], {"_FLASHGROUP_COMPLETE": "bash_complete"}) is None
    assert command_for(["timeline", R], {"FLASHGROUP_NO_FAST_PATH": "1"}) is None


def test_fast_path_does_not_import_typer():
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "flashgroup_cli", "timeline", R, "--format", "json"],
        capture_output=True,
        text=True,
        env=_env(True),
    )
    assert proc.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert "flashgroup_cli.commands" in imported
    assert not {m for m in imported if m.split(".")[0] in ("typer", "click")}


def test_ctrl_c_before_a_command_runs_ends_with_130_and_no_traceback():
    """Ctrl-C while the fast path is still importing what the command needs (before commands.run's own handling)."""
    probe = (
        "import sys\n"
        "from flashgroup_cli import fastpath\n"
        "def interrupted(*args):\n"
        "    raise KeyboardInterrupt\n"
        "fastpath.command_for = interrupted\n"
        "sys.argv = ['flashgroup', 'timeline', sys.argv[1]]\n"
        "fastpath.main()\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(EXAMPLES / "retail.yml")], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "")
