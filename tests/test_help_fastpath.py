"""`flashgroup --help` without typer (fastpath.py, help_build.py, issue 13) prints exactly what the typer app prints.

The wheel carries the typer app's help rendered at build time (flashgroup_cli/_help.py, only in the wheel). Here the
same table is rendered from this checkout into a temporary folder that the test's launcher adds to the package's
path, and each command line runs twice as the `flashgroup` console script does (program name `flashgroup`): as is,
and with FLASHGROUP_NO_FAST_PATH=1 (the typer app). Stdout, stderr and the exit status must be the same bytes, over
a grid of help requests, environment variables and terminals; the grid also says which runs the table must serve
(typer not imported), so the comparison is never between typer and itself only. .ci/run compares the installed
wheel's help with its typer path too.
"""

from __future__ import annotations

import gettext
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from flashgroup_cli import help_build
from flashgroup_cli.cli import app
from flashgroup_cli.fastpath import _no_message_catalog

from .conftest import EXAMPLES, ROOT
from .terminal import open_terminal, received

COMMANDS = list(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
HELP = [["--help"], ["-h"], *([command, option] for command in COMMANDS for option in ("--help", "-h"))]
# Help-like command lines the table does not serve: typer prints them (help, or an error) as always.
NOT_SERVED = [
    ["--help", "--help"],
    ["-h", "plan"],
    ["--help", "-V"],
    ["-V", "--help"],
    ["plan", str(EXAMPLES / "retail.yml"), "--help"],
    ["plan", "--help", "extra"],
    ["plan", "-h", "-h"],
    ["nosuch", "--help"],
    ["", "--help"],
    ["PLAN", "--help"],
    ["--HELP"],
    ["--hel"],
    ["help"],
    ["-hh"],
    [],
]

# The launcher: as the console script (program name `flashgroup`), with the table's folder on the package's path;
# when the process ends (always through os._exit on these paths) it records the top-level modules it imported.
LAUNCHER = """
import os, sys
table, record = sys.argv[1], sys.argv[2]
sys.argv = sys.argv[3:]
import flashgroup_cli
if table:
    flashgroup_cli.__path__.append(table)
end = os._exit
def _exit(code):
    with open(record, "w") as out:
        out.write(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
    end(code)
os._exit = _exit
from flashgroup_cli.fastpath import main
main()
"""
# Variables that shape (or could shape) the help, removed from the base environment; each test sets its own.
SHAPING = (
    "COLUMNS",
    "LINES",
    "LANGUAGE",
    "LC_ALL",
    "LC_MESSAGES",
    "LANG",
    "PYTHONWARNINGS",
    "PYTHONIOENCODING",
    "PYTHONDEVMODE",
    "NO_COLOR",
    "FORCE_COLOR",
)


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("help-table")
    rendered = help_build.render(ROOT, sys.executable)
    assert rendered is not None, "the installed typer carries its click: the wheel gets a table"
    help_build.write_module(rendered, folder / f"{help_build.MODULE}.py")
    return folder


def environment(fast: bool, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SHAPING and not k.endswith("_COMPLETE") and k != "FLASHGROUP_NO_FAST_PATH"}
    env.update(extra or {})
    if not fast:
        env["FLASHGROUP_NO_FAST_PATH"] = "1"
    return env


def launch(table: Path | None, record: Path, args: list[str]) -> list[str]:
    return [sys.executable, "-c", LAUNCHER, str(table or ""), str(record), "/usr/local/bin/flashgroup", *args]


def run(table: Path | None, args: list[str], tmp: Path, fast: bool, extra: dict[str, str] | None = None, **streams) -> tuple:
    """(exit status, stdout, stderr, imported top-level modules) of one run in a pipe (or the given streams)."""
    record = tmp / f"modules-{'fast' if fast else 'typer'}"
    streams = {"stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **streams}
    proc = subprocess.run(launch(table, record, args), env=environment(fast, extra), **streams, timeout=60)
    modules = set(record.read_text().split()) if record.exists() else set()
    return proc.returncode, proc.stdout, proc.stderr, modules


def both_ways(table: Path | None, args: list[str], tmp: Path, extra: dict[str, str] | None = None, **streams) -> tuple:
    """Run both ways; assert the same status, stdout and stderr; return (served by the table, stdout)."""
    code, out, err, modules = run(table, args, tmp, True, extra, **streams)
    want_code, want_out, want_err, typer_modules = run(table, args, tmp, False, extra, **streams)
    assert "typer" in typer_modules
    assert (code, err) == (want_code, want_err), (args, extra)
    assert out == want_out, (args, extra)
    return "typer" not in modules, out


@pytest.mark.parametrize("args", HELP, ids=" ".join)
def test_each_help_request_is_served_and_is_typers_help(args, table, tmp_path):
    served, out = both_ways(table, args, tmp_path)
    assert served, "the table should serve this help request"
    assert out.startswith(b"Usage: flashgroup ")


@pytest.mark.parametrize("args", NOT_SERVED, ids=lambda a: " ".join(a) or "(none)")
def test_other_help_like_lines_go_to_typer(args, table, tmp_path):
    served, _ = both_ways(table, args, tmp_path)
    assert not served


def _catalog_found(extra: dict[str, str]) -> bool:
    """Whether gettext (as click calls it) finds a catalog for click's words under these settings."""
    saved = {k: os.environ.pop(k) for k in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG") if k in os.environ}
    try:
        os.environ.update({k: v for k, v in extra.items() if k in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")})
        return gettext.find("messages") is not None
    finally:
        for k in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
            os.environ.pop(k, None)
        os.environ.update(saved)


# (environment added, served by the table): what changes the width, the language of click's words, warnings, the
# encoding or completion goes to typer; colour and terminal settings play no part in the app's plain help.
ENVIRONMENTS = [
    ({}, True),
    ({"COLUMNS": "100"}, False),
    ({"COLUMNS": "60"}, False),
    ({"COLUMNS": ""}, False),
    ({"LINES": "5"}, False),
    ({"LANG": "C.UTF-8"}, None),
    ({"LANG": "fr_FR.UTF-8"}, None),
    ({"LANGUAGE": "de:fr", "LANG": "C.UTF-8"}, None),
    ({"LC_ALL": "zh_CN.UTF-8"}, None),
    ({"LANGUAGE": "C"}, True),
    ({"NO_COLOR": "1"}, True),
    ({"FORCE_COLOR": "1"}, True),
    ({"PY_COLORS": "1", "GITHUB_ACTIONS": "true"}, True),
    ({"TERMINAL_WIDTH": "40"}, True),
    ({"TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1", "TERM": "xterm-256color"}, True),
    ({"TYPER_USE_RICH": "1"}, True),
    ({"TYPER_USE_RICH": "0"}, True),
    ({"_TYPER_FORCE_DISABLE_TERMINAL": "1", "_TYPER_STANDARD_TRACEBACK": "1"}, True),
    ({"PYTHONIOENCODING": "utf-8"}, True),
    ({"PYTHONIOENCODING": "latin-1:replace"}, False),
    ({"PYTHONIOENCODING": "ascii"}, False),
    ({"PYTHONWARNINGS": "default"}, False),
    ({"PYTHONDEVMODE": "1"}, False),
    ({"PYTHONWARNDEFAULTENCODING": "1"}, False),
    ({"_FLASHGROUP_COMPLETE": "bash_complete", "COMP_WORDS": "flashgroup pl", "COMP_CWORD": "1"}, False),
]


@pytest.mark.parametrize("args", [["--help"], ["check", "-h"]], ids=" ".join)
@pytest.mark.parametrize(
    "extra, served", ENVIRONMENTS, ids=lambda e: " ".join(f"{k}={v}" for k, v in e.items()) if isinstance(e, dict) else str(e)
)
def test_environment_that_could_change_the_help_goes_to_typer(args, extra, served, table, tmp_path):
    if served is None:  # a language: served unless gettext would find a catalog for click's words on this machine
        served = not _catalog_found(extra)
    got, _ = both_ways(table, args, tmp_path, extra)
    assert got == served


def in_terminal(table: Path, args: list[str], tmp: Path, fast: bool, columns: int, fd: int = 1) -> tuple:
    """One run with standard stream `fd` on a pseudo-terminal of `columns` (the others pipes): status, what the
    terminal received, stdout if a pipe, stderr if a pipe, modules."""
    master, slave = open_terminal(columns)
    streams = {"stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    streams[("stdin", "stdout", "stderr")[fd]] = slave
    record = tmp / f"modules-{'fast' if fast else 'typer'}"
    proc = subprocess.Popen(launch(table, record, args), env=environment(fast, {"TERM": "xterm-256color"}), **streams)
    os.close(slave)
    shown = received(master)
    out, err = proc.communicate(timeout=30)
    modules = set(record.read_text().split()) if record.exists() else set()
    return proc.returncode, shown, out, err, modules


@pytest.mark.parametrize(
    "columns, fd, served",
    [(80, 1, True), (200, 1, True), (79, 1, False), (60, 1, False), (40, 0, True), (40, 2, True)],
    ids=["stdout 80 columns", "stdout 200 columns", "stdout 79 columns", "stdout 60 columns", "stdin 40 columns", "stderr 40 columns"],
)
@pytest.mark.parametrize("args", [["--help"], ["plan", "--help"]], ids=" ".join)
def test_in_a_terminal_the_help_is_typers_and_served_only_at_80_columns_or_more(args, columns, fd, served, table, tmp_path):
    """click wraps the help at min(width of standard output, 80) - 2 and never colours it: a terminal of 80 columns or
    more gets the table's text, a narrower one typer's; a terminal on stdin or stderr changes nothing."""
    *got, modules = in_terminal(table, args, tmp_path, True, columns, fd)
    *want, typer_modules = in_terminal(table, args, tmp_path, False, columns, fd)
    assert got == want
    assert "typer" in typer_modules
    assert ("typer" not in modules) == served
    help_text = got[1] if fd == 1 else got[2]  # what the terminal received, or the pipe on stdout
    assert help_text.startswith(b"Usage: flashgroup ")
    assert b"\x1b[" not in help_text  # no colour from typer in a terminal either
    assert max(len(line) for line in help_text.decode().splitlines()) <= (min(columns, 80) if fd == 1 else 80)


def test_a_reader_that_left_ends_both_ways_with_status_1_and_nothing_said(table, tmp_path):
    for args in (["--help"], ["plan", "-h"]):
        results = {}
        for fast in (True, False):
            read_end, write_end = os.pipe()
            os.close(read_end)
            try:
                code, _, err, modules = run(table, args, tmp_path, fast, stdout=write_end)
            finally:
                os.close(write_end)
            results[fast] = (code, err)
            assert ("typer" not in modules) == fast
        assert results[True] == results[False] == (1, b"")


def test_the_table_is_typers_help_for_every_command(table, tmp_path):
    """What the build renders (help_build.render) is what the typer app prints now, for the top level and every
    command: the build step stays honest."""
    namespace: dict[str, object] = {}
    exec((table / f"{help_build.MODULE}.py").read_text(encoding="utf-8"), namespace)
    texts = namespace["TEXTS"]
    assert isinstance(texts, dict) and set(texts) == {"", *COMMANDS}
    for command, text in texts.items():
        args = [command, "--help"] if command else ["--help"]
        code, out, err, _ = run(None, args, tmp_path, False)
        assert (code, err) == (0, b"")
        assert out.decode("utf-8") == text, command


def test_a_stale_table_is_never_served(table, tmp_path):
    """A table whose checksums do not match the package's files or typer's is left alone (typer prints the help);
    the same table with the right checksums is served, so the checksums are what decide."""
    source = (table / f"{help_build.MODULE}.py").read_text(encoding="utf-8")
    namespace: dict[str, object] = {}
    exec(source, namespace)
    sources, typer_sum = namespace["SOURCES"], namespace["TYPER"]
    assert isinstance(sources, dict) and set(sources) >= {"__init__.py", "cli.py", "commands.py"}
    texts = {command: "STALE\n" for command in namespace["TEXTS"]}  # type: ignore[union-attr]
    variants = {
        "right": (sources, typer_sum),
        "cli.py changed": ({**sources, "cli.py": sources["cli.py"] ^ 1}, typer_sum),
        "a module gone": ({**sources, "gone.py": 0}, typer_sum),
        "another typer": (sources, typer_sum ^ 1),
    }
    for name, (sums, typer_checksum) in variants.items():
        folder = tmp_path / name.replace(" ", "-")
        folder.mkdir()
        help_build.write_module({"sources": sums, "typer": typer_checksum, "texts": texts}, folder / f"{help_build.MODULE}.py")
        code, out, err, modules = run(folder, ["--help"], folder, True)
        if name == "right":
            assert (code, out, err) == (0, b"STALE\n", b"")
        else:
            assert out.startswith(b"Usage: flashgroup ") and "typer" in modules, name


def test_a_checkout_without_the_table_asks_typer(tmp_path):
    served, out = both_ways(None, ["--help"], tmp_path)
    assert not served and out.startswith(b"Usage: flashgroup ")


def test_served_help_imports_neither_typer_nor_rich(table, tmp_path):
    code, out, _, modules = run(table, ["plan", "--help"], tmp_path, True)
    assert code == 0 and out.startswith(b"Usage: flashgroup plan ")
    assert not modules & {"typer", "click", "rich", "typing", "jinja2", "yaml", "pathlib"}, modules


@pytest.mark.parametrize(
    "settings, catalogs",
    [
        ({}, []),
        ({}, ["fr"]),
        ({"LANG": "C"}, ["C"]),
        ({"LANG": "C.UTF-8"}, []),
        ({"LANG": "C.UTF-8"}, ["C.UTF-8"]),
        ({"LANG": "fr_FR.UTF-8"}, []),
        ({"LANG": "fr_FR.UTF-8"}, ["de"]),
        ({"LANG": "fr_FR.UTF-8"}, ["fr"]),
        ({"LANG": "fr_FR.UTF-8"}, ["fr_FR"]),
        ({"LANGUAGE": "de:fr", "LANG": "en_US.UTF-8"}, ["fr"]),
        ({"LANGUAGE": "", "LC_ALL": "zh_CN.UTF-8"}, ["zh_CN"]),
        ({"LC_MESSAGES": "../../elsewhere"}, []),
    ],
)
def test_the_language_guard_says_no_catalog_only_when_gettext_finds_none(settings, catalogs, tmp_path, monkeypatch):
    """fastpath._no_message_catalog (no gettext import) is True only when gettext.find, which click's words go
    through, finds no catalog for the domain "messages" in the default folder (sys.base_prefix/share/locale)."""
    folder = tmp_path / "share" / "locale"
    folder.mkdir(parents=True)
    for language in catalogs:
        (folder / language / "LC_MESSAGES").mkdir(parents=True)
        (folder / language / "LC_MESSAGES" / "messages.mo").write_bytes(b"")
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "base_prefix", str(tmp_path))
    found = gettext.find("messages", str(folder))
    if _no_message_catalog(os.environ):
        assert found is None
    if not catalogs and "/" not in "".join(settings.values()):
        assert _no_message_catalog(os.environ)
