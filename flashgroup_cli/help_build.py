"""The help texts of the typer app rendered ahead of time: what the wheel's build hook (hatch_build.py) writes into
`flashgroup_cli/_help.py` of the wheel only (never in a source checkout or an editable install), so that
`flashgroup --help` and `flashgroup COMMAND --help` (or -h) print without importing typer (issue 13).

Each text is the typer app's own output, byte for byte: the build runs the console script's typer path
(`cli.main`) once per help request in a child process whose output is a pipe, with no COLUMNS or LINES and no
language settings, where click's plain help formatter (the app sets `rich_markup_mode=None`) wraps at 78 columns and
says "Usage:" in English. The table records the CRC-32 of every source the texts came from: the package modules the
typer app imports (cli.py and what it imports) and typer's own `__init__.py`, which names typer's version (typer
carries its click). fastpath.py serves a text only when those files still have those checksums and its output could
not differ from typer's (the conditions are listed there); anything else goes to typer as before, so a stale text is
never served. tests/test_help_fastpath.py holds both halves.

The build hook loads this file by its path (no package import). Nothing here runs when flashgroup runs.
"""

from __future__ import annotations

import binascii
import json
import os
import subprocess
import sys
from pathlib import Path

MODULE = "_help"  # flashgroup_cli/_help.py in the wheel
PROGRAM = "flashgroup"  # the console script's name, which click prints in "Usage: flashgroup ..."
HELP_OPTIONS = ("--help", "-h")

# What shapes the help besides the app and typer, removed from the environment of the child that renders it (the
# fast path serves a text only when these are unset or harmless): the width (COLUMNS, LINES), the language of
# click's words (gettext: LANGUAGE, LC_ALL, LC_MESSAGES, LANG), shell completion.
_UNSET = ("COLUMNS", "LINES", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "PYTHONWARNINGS", "PYTHONSAFEPATH", "PYTHONIOENCODING")

_DESCRIBE = """
import json, sys
import typer, typer.main
import flashgroup_cli
from flashgroup_cli.cli import app
group = typer.main.get_command(app)
ctx = group.make_context("flashgroup", [], resilient_parsing=True)
print(json.dumps({
    "package": flashgroup_cli.__file__,
    "markup": app.rich_markup_mode,
    "help_options": group.get_help_option_names(ctx),
    "commands": list(group.commands),
    "typer": typer.__file__,
    "typer_carries_click": hasattr(typer, "_click"),
    "modules": sorted(m.__file__ for n, m in list(sys.modules.items()) if n.split(".")[0] == "flashgroup_cli"),
}))
"""

_RENDER = """
import sys
sys.argv = [sys.argv[1], *sys.argv[2:]]
from flashgroup_cli.cli import main
main()
"""


def checksum(data: bytes) -> int:
    """The key of one source file: its CRC-32 (binascii, not hashlib: importing hashlib would cost the fast --help
    a quarter of its run; this guards against a stale table, not against tampering)."""
    return binascii.crc32(data)


def _environment(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _UNSET and not k.endswith("_COMPLETE")}
    # The checkout first, then whatever the build already had there: pip's isolated build puts the path to the
    # build's own packages (typer among them) on PYTHONPATH, and a fresh venv has no typer of its own.
    env["PYTHONPATH"] = os.pathsep.join([str(root), *([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])])
    env["PYTHONUTF8"] = "1"
    return env


def _run(python: str, root: Path, code: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [python, "-c", code, *args], cwd=root, env=_environment(root), stdin=subprocess.DEVNULL, capture_output=True, check=False
    )


def render(root: Path, python: str = sys.executable) -> dict[str, object] | None:
    """The help of the typer app of the checkout at `root`, as typer prints it into a pipe, for the top level ("") and
    every command, with the checksums of the sources it came from. None under an older typer that uses a separate
    click (whose version the table cannot key): the wheel then has no table and typer prints the help. Raises
    ValueError when the app renders its help in a way fastpath.py does not know to reproduce."""
    proc = _run(python, root, _DESCRIBE)
    if proc.returncode != 0:
        raise ValueError(f"could not load the typer app: {proc.stderr.decode(errors='replace')[-2000:]}")
    app = json.loads(proc.stdout)
    package = Path(app["package"]).parent
    if package.resolve() != (root / "flashgroup_cli").resolve():
        raise ValueError(f"the typer app came from {package}, not from {root}")
    if app["markup"] is not None:
        raise ValueError("the app's help is rendered by rich (rich_markup_mode): fastpath.py's conditions are for click's plain help")
    if sorted(app["help_options"]) != sorted(HELP_OPTIONS):
        raise ValueError(f"the app's help options are {app['help_options']}, fastpath.py serves {HELP_OPTIONS}")
    if not app["typer_carries_click"]:
        return None
    texts: dict[str, str] = {}
    for command in ["", *app["commands"]]:
        outputs = set()
        for option in HELP_OPTIONS:
            argv = [command, option] if command else [option]
            run = _run(python, root, _RENDER, PROGRAM, *argv)
            if run.returncode != 0 or run.stderr:
                raise ValueError(f"{PROGRAM} {' '.join(argv)}: exit {run.returncode}, {run.stderr.decode(errors='replace')[-2000:]}")
            outputs.add(run.stdout)
        if len(outputs) != 1:
            raise ValueError(f"{PROGRAM} {command} -h and --help differ")
        texts[command] = outputs.pop().decode("utf-8")
    sources = {}
    for file in app["modules"]:
        path = Path(file)
        if path.parent.resolve() != package.resolve():
            raise ValueError(f"the app imports {path}, outside the package folder: fastpath.py keys files beside it only")
        sources[path.name] = checksum(path.read_bytes())
    return {"sources": sources, "typer": checksum(Path(app["typer"]).read_bytes()), "texts": texts}


def write_module(table: dict[str, object], target: Path) -> None:
    """`flashgroup_cli/_help.py`: SOURCES (package file name -> checksum), TYPER (checksum of typer's __init__.py),
    TEXTS (command, "" for the top level -> help text)."""
    texts = table["texts"]
    sources = table["sources"]
    assert isinstance(texts, dict) and isinstance(sources, dict)
    lines = [
        '"""The typer app\'s help, rendered when the wheel was built (flashgroup_cli/help_build.py). Generated; do not edit."""',
        "",
        f"SOURCES = {dict(sorted(sources.items()))!r}",
        f"TYPER = {table['typer']!r}",
        "TEXTS = {",
        *(f"    {command!r}: {text!r}," for command, text in texts.items()),
        "}",
        "",
    ]
    target.write_text("\n".join(lines), encoding="utf-8")
