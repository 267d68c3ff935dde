"""The console script's first step: the common, fully valid command lines of `timeline`, `plan`, `check` and `--version`
run their command body (commands.py) straight away, without importing typer and its click (a third of a one-campaign
run's start-up, issue 13). Anything else — an unknown, abbreviated or repeated option, a missing or bad value, --help,
no campaign given, shell completion — goes to the typer app unchanged, which says what is wrong as it always did.

tests/test_fastpath.py runs a grid of command lines both ways (FLASHGROUP_NO_FAST_PATH=1 turns this path off) and
compares stdout, stderr and the exit status byte for byte.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Optional

FLAG = "flag"
MULTI = "multi"

# option -> (destination, kind): kind is FLAG, MULTI (repeatable), a tuple of the accepted values, or a converter name.
_PRODUCE_OPTIONS: dict[str, tuple[str, object]] = {
    "--compressed": ("compressed", FLAG),
    "--no-pager": ("no_pager", FLAG),
    "--format": ("fmt", "output-format"),
    "-f": ("fmt", "output-format"),
    "--output": ("output", "output"),
    "-o": ("output", "output"),
    "--remind": ("remind", "text"),
    "--color": ("color", "color"),
}
_PLAN_OPTIONS = {**_PRODUCE_OPTIONS, "--templates": ("templates", "folder")}
_CHECK_OPTIONS: dict[str, tuple[str, object]] = {
    "--compressed": ("compressed", FLAG),
    "--format": ("fmt", "check-format"),
    "-f": ("fmt", "check-format"),
    "--now": ("now", "text"),
    "--select": ("select", MULTI),
    "--ignore": ("ignore", MULTI),
    "--lang": ("lang", "language"),
    "--templates": ("templates", "folder"),
}
_SPECS = {"timeline": _PRODUCE_OPTIONS, "plan": _PLAN_OPTIONS, "check": _CHECK_OPTIONS}


def _valid(kind: object, name: str, value: str) -> bool:
    from .commands import CHECK_FORMATS, COLOR_CHOICES, LANGUAGES, OUTPUT_FORMATS

    if value == "":
        return False
    if value.startswith("-"):
        return value == "-" and kind == "output"  # `-o -`: standard output; any other dash value is typer's to judge
    if kind == "output-format":
        return value in OUTPUT_FORMATS
    if kind == "check-format":
        return value in CHECK_FORMATS
    if kind == "color":
        return value in COLOR_CHOICES
    if kind == "language":
        return value in LANGUAGES
    if kind == "folder":  # click.Path(exists=True, file_okay=False, readable=True)
        return os.path.isdir(value) and os.access(value, os.R_OK)
    return True  # text, output, MULTI: any value; the command body judges it


def _parse(argv: list[str]) -> Optional[tuple[str, dict[str, object], list[str]]]:
    """(command, options, arguments) when argv is a command line the fast path knows to be valid; else None."""
    if not argv or argv[0] not in _SPECS:
        return None
    spec = _SPECS[argv[0]]
    options: dict[str, object] = {}
    arguments: list[str] = []
    rest = iter(argv[1:])
    for token in rest:
        if not token.startswith("-"):
            if token == "":
                return None
            arguments.append(token)
            continue
        value: Optional[str] = None
        name = token
        if token.startswith("--") and "=" in token:
            name, value = token.split("=", 1)
        if name not in spec:
            return None
        dest, kind = spec[name]
        if kind == FLAG:
            if value is not None or dest in options:
                return None
            options[dest] = True
            continue
        if value is None:
            value = next(rest, None)
            if value is None:
                return None
        if not _valid(kind, name, value):
            return None
        if kind == MULTI:
            values = options.setdefault(dest, [])
            assert isinstance(values, list)
            values.append(value)
        elif dest in options:
            return None
        else:
            options[dest] = value
    if not arguments:
        return None
    return argv[0], options, arguments


def command_for(argv: list[str], environ: os._Environ[str] | dict[str, str]) -> Optional[Callable[[], int]]:
    """The command body to run for argv, or None: then the typer app decides."""
    if environ.get("FLASHGROUP_NO_FAST_PATH") or any(key.endswith("_COMPLETE") for key in environ):
        return None
    if argv in (["--version"], ["-V"]):
        return _version
    parsed = _parse(argv)
    if parsed is None:
        return None
    command, options, arguments = parsed
    from pathlib import Path

    from . import commands

    def path(key: str) -> Optional[Path]:
        value = options.get(key)
        return Path(value) if isinstance(value, str) else None

    def text(key: str) -> Optional[str]:
        value = options.get(key)
        return value if isinstance(value, str) else None

    def texts(key: str) -> Optional[list[str]]:
        value = options.get(key)
        return value if isinstance(value, list) else None

    paths = [Path(a) for a in arguments]
    compressed = bool(options.get("compressed"))
    if command == "check":
        return lambda: commands.check(
            paths,
            text("fmt") or "text",
            text("now"),
            texts("select"),
            texts("ignore"),
            compressed,
            text("lang"),
            path("templates"),
        )
    plan = command == "plan"
    return lambda: commands.produce(
        plan,
        paths,
        compressed,
        text("fmt"),
        path("output"),
        path("templates"),
        text("remind") or "10m",
        text("color") or "auto",
        not options.get("no_pager"),
    )


def _version() -> int:
    from . import __version__

    sys.stdout.write(f"flashgroup {__version__}\n")
    return 0


def _one_campaign_file(argv: list[str]) -> bool:
    parsed = _parse(argv)
    return parsed is not None and len(parsed[2]) == 1 and os.path.isfile(parsed[2][0])


def main() -> None:
    """The console script `flashgroup`."""
    if _one_campaign_file(sys.argv[1:]):
        # One campaign is bounded work (docs/limits.md) in a process that ends when it is done: the cyclic garbage
        # collector would only walk the objects that imports create (issue 13). Folders keep it.
        import gc

        gc.disable()
    job = command_for(sys.argv[1:], os.environ)
    if job is None:
        from .cli import main as typer_main

        typer_main()
        return
    from .commands import exit_process

    exit_process(job())
