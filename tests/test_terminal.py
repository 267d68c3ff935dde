"""The terminal view as a real terminal shows it: the installed command in a pseudo-terminal of 80 or 40 columns,
the pager, colour switches, and copying a text from the screen."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from flashgroup_cli.cli import app

from .conftest import EXAMPLES
from .terminal import open_terminal, received

runner = CliRunner()
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def command() -> list[str]:
    exe = Path(sys.executable).parent / "flashgroup"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "flashgroup_cli"]


def in_terminal(*args: str, columns: int = 80, rows: int = 24, env: dict[str, str] | None = None) -> str:
    """Run flashgroup with its stdout on a pseudo-terminal of this size; what the terminal received, \\r removed."""
    master, slave = open_terminal(columns, rows)
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "PAGER", "FLASHGROUP_PAGER")}
    process = subprocess.Popen(
        [*command(), *args], stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE, env={**base, "TERM": "xterm", **(env or {})}
    )
    os.close(slave)
    shown = received(master)
    process.wait(timeout=30)
    assert process.returncode == 0, process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    return shown.decode("utf-8").replace("\r\n", "\n")


def json_of(command_name: str, example: str) -> dict:
    return json.loads(runner.invoke(app, [command_name, str(EXAMPLES / example), "-f", "json"]).stdout)


@pytest.mark.parametrize("columns", [80, 40])
@pytest.mark.parametrize("example", ["retail.yml", "apples-en.yml"])
def test_timeline_fits_the_terminal_and_nothing_is_cut_or_lost(columns, example):
    screen = ANSI.sub("", in_terminal("timeline", str(EXAMPLES / example), "--no-pager", columns=columns))
    lines = screen.splitlines()
    assert max(cell_len(line) for line in lines) <= columns
    assert "…" not in screen
    flat = re.sub(r"\s+", "", screen)
    for event in json_of("timeline", example)["events"]:
        # every title whole: it may wrap inside its cell, with the time column's next line in between
        title = re.sub(r"\s+", "", event["title"])
        assert re.search(".{0,30}?".join(re.escape(ch) for ch in title), flat), event["title"]
        assert all(rule in screen for rule in event["rules"])
        if event["at"]:
            assert event["at"][11:16] in screen and event["offset"] in screen


def test_at_80_columns_time_who_and_action_keep_their_width():
    screen = ANSI.sub("", in_terminal("timeline", str(EXAMPLES / "retail.yml"), "--no-pager", columns=80))
    lines = screen.splitlines()
    assert any(re.match(r"19:33 +群内 +群主\+水军3、4 +团购接龙：山东烟台红富士 10斤", line) for line in lines)
    assert any(re.match(r"19:20 +群内 +群主\+水军1 +红包雨", line) for line in lines)
    assert any(re.match(r"T\+3m +GR-9 GR-5", line) for line in lines)  # offset under the time, rules under the action


@pytest.mark.parametrize("example", ["retail.yml", "apples-en.yml"])
def test_plan_on_a_terminal_shows_every_text_so_that_copying_it_gives_the_exact_text(example):
    screen = ANSI.sub("", in_terminal("plan", str(EXAMPLES / example), "--no-pager", columns=80))
    assert "```" not in screen and "####" not in screen
    for event in json_of("plan", example)["events"]:
        assert f"\n\n{event['text']}\n\n" in screen + "\n"  # line for line: no indent, no hard wrap, no styling inside


def test_long_output_goes_through_the_pager_short_output_does_not(tmp_path):
    paged = tmp_path / "paged.txt"
    pager = {"FLASHGROUP_PAGER": f"sh -c 'cat > {paged}'", "PAGER": "false"}
    screen = in_terminal("plan", str(EXAMPLES / "orange.yml"), columns=80, rows=24, env=pager)
    content = paged.read_text(encoding="utf-8")
    assert "赣南脐橙年终快闪" in content and "\x1b[1m" in content  # coloured for `less -R`
    assert "赣南脐橙年终快闪" not in screen
    paged.unlink()
    screen = in_terminal("plan", str(EXAMPLES / "orange.yml"), "--no-pager", columns=80, rows=24, env=pager)
    assert not paged.exists() and "赣南脐橙年终快闪" in screen
    screen = in_terminal("timeline", str(EXAMPLES / "orange.yml"), columns=160, rows=500, env=pager)
    assert not paged.exists() and "赣南脐橙年终快闪" in screen  # fits the screen: no pager
    in_terminal("timeline", str(EXAMPLES / "orange.yml"), columns=80, rows=10, env={"PAGER": f"sh -c 'cat > {paged}'"})
    assert "赣南脐橙年终快闪" in paged.read_text(encoding="utf-8")  # PAGER when FLASHGROUP_PAGER is not set


def test_no_color_on_a_terminal_and_a_missing_pager_still_prints(tmp_path):
    screen = in_terminal(
        "plan", str(EXAMPLES / "orange.yml"), columns=80, rows=24, env={"NO_COLOR": "1", "FLASHGROUP_PAGER": "no-such-pager-here"}
    )
    assert "赣南脐橙年终快闪" in screen and "\x1b[" not in screen
    screen = in_terminal("plan", str(EXAMPLES / "orange.yml"), "--no-pager", "--color", "never", columns=80)
    assert "\x1b[" not in screen


@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [
        ([], {}, False),
        (["--color", "always"], {}, True),
        (["--color", "always"], {"NO_COLOR": "1"}, True),  # the explicit option wins
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "0"}, False),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ],
)
@pytest.mark.parametrize("fmt", ["table", "text"])
def test_color_option_and_environment_in_a_pipe(args, env, colored, fmt):
    result = runner.invoke(
        app, ["timeline", str(EXAMPLES / "orange.yml"), "-f", fmt, *args], env={"NO_COLOR": "", "FORCE_COLOR": "", **env}
    )
    assert result.exit_code == 0, result.output
    assert ("\x1b[" in result.stdout) is colored
    markdown = runner.invoke(app, ["timeline", str(EXAMPLES / "orange.yml"), *args], env={"NO_COLOR": "", "FORCE_COLOR": "", **env})
    assert "\x1b[" not in markdown.stdout  # md, json, csv, ics: never coloured


def test_dash_capital_v_is_the_version():
    result = runner.invoke(app, ["-V"])
    assert result.exit_code == 0 and result.stdout.startswith("flashgroup ")
    assert result.stdout == runner.invoke(app, ["--version"]).stdout
