"""Lazy imports: `--help` and `timeline` must not pay for what only other commands need (issue 2, speed)."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import EXAMPLES

PROBE = """
import json, sys
from flashgroup_cli.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)), file=sys.stderr)
"""


def modules_loaded(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True)
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def test_help_imports_no_template_table_calendar_or_yaml_library():
    loaded = modules_loaded("--help")
    assert not loaded & {"jinja2", "rich", "icalendar", "yaml", "markdown_it", "pydantic"}


def test_timeline_json_imports_neither_jinja_nor_rich_nor_icalendar():
    loaded = modules_loaded("timeline", str(EXAMPLES / "retail.yml"), "--format", "json")
    assert "yaml" in loaded
    assert not loaded & {"jinja2", "rich", "icalendar", "pydantic"}


FAST_PROBE = """
import json, os, sys
leave = os._exit
def report(code):
    print(json.dumps(sorted(sys.modules)), file=sys.stderr)
    sys.stderr.flush()
    leave(code)
os._exit = report  # the fast path ends with os._exit once its output is flushed
sys.argv = ["flashgroup", *sys.argv[1:]]
from flashgroup_cli.fastpath import main
main()
"""


def fast_path_modules(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", FAST_PROBE, *args], capture_output=True, text=True)
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def test_timeline_and_check_start_without_typing_dataclasses_or_typer():
    """The records (records.py) and `TYPE_CHECKING = False` keep `dataclasses`, its `inspect` and `typing` off the
    start-up path of the everyday commands (issue 13): together about a quarter of a `timeline` run."""
    for args in (("timeline", "--format", "json"), ("check",), ("timeline", "--compressed", "--format", "csv")):
        loaded = fast_path_modules(args[0], str(EXAMPLES / "retail.yml"), *args[1:])
        assert "flashgroup_cli.schedule" in loaded
        assert not loaded & {"typing", "dataclasses", "inspect", "typer", "click", "jinja2", "rich"}, args


def test_a_markdown_plan_imports_neither_rich_nor_icalendar_nor_the_sandbox():
    """A plan to Markdown needs Jinja and its own templates; the terminal, calendar and sandbox libraries are for
    other formats and --templates."""
    names = fast_path_modules("plan", str(EXAMPLES / "retail.yml"), "--format", "md")
    loaded = {name.split(".")[0] for name in names}
    assert {"yaml", "jinja2"} <= loaded
    assert not loaded & {"rich", "icalendar", "markdown_it", "typer", "click"}
    assert "jinja2.sandbox" not in names
