"""The console script's first step: the common, fully valid command lines of `timeline`, `plan`, `check` and `--version`
run their command body (commands.py) straight away, without importing typer and its click (a third of a one-campaign
run's start-up, issue 13), and `--help`/`-h` (top level or after a command's name) prints the typer app's help as the
wheel's build rendered it (help_build.py), when typer's output could not differ. Anything else — an unknown,
abbreviated or repeated option, a missing or bad value, no campaign given, shell completion, help in a narrow
terminal or a source checkout — goes to the typer app unchanged, which says what is wrong as it always did.

tests/test_fastpath.py and tests/test_help_fastpath.py run grids of command lines both ways (FLASHGROUP_NO_FAST_PATH=1
turns this path off) and compare stdout, stderr and the exit status byte for byte.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn, Optional

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
    help_text = _help(argv, environ)
    if help_text is not None:
        return lambda: _print_help(help_text)
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


def _help(argv: list[str], environ: os._Environ[str] | dict[str, str]) -> Optional[str]:
    """The typer app's help for `--help`, `-h`, `COMMAND --help` or `COMMAND -h`, from the table the wheel's build
    rendered (help_build.py), when what typer would print cannot differ from it; else None (typer prints it).

    The table was rendered by click's plain formatter into a pipe: 78 columns, English, program name `flashgroup`.
    Typer would print something else when: the program is not the `flashgroup` console script (`python -m
    flashgroup_cli` says so in "Usage:"); COLUMNS or LINES is set, or standard output is a terminal narrower than 80
    columns or of unknown width (click wraps at min(width, 80) - 2, the width from shutil.get_terminal_size); a
    gettext catalog could translate click's words; standard output is not UTF-8 (click re-encodes); warnings are on
    (-W, PYTHONWARNINGS, -X dev, -X warn_default_encoding: importing typer could print one); Windows (click's console streams); or the app or
    typer changed since the build (the checksums). Colour and the other terminal settings play no part: the app's
    help is click's plain text (rich_markup_mode=None), with no colour in a terminal either.
    """
    if len(argv) == 1 and argv[0] in _HELP_OPTIONS:
        command = ""
    elif len(argv) == 2 and argv[1] in _HELP_OPTIONS and argv[0]:
        command = argv[0]  # a command's name (a key of the table), else typer says what is wrong
    else:
        return None
    if os.name != "posix" or "COLUMNS" in environ or "LINES" in environ:
        return None
    if sys.warnoptions or sys.flags.dev_mode or sys.flags.warn_default_encoding:
        return None
    main_module = sys.modules.get("__main__")
    if getattr(main_module, "__package__", None) not in (None, "") or os.path.basename(sys.argv[0]) != "flashgroup":
        return None
    stdout = sys.stdout
    if stdout is None or str(getattr(stdout, "encoding", "")).lower() not in ("utf-8", "utf8"):
        return None
    try:  # what shutil.get_terminal_size does with COLUMNS and LINES unset
        columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        columns = 80
    if columns < 80:
        return None
    try:
        from . import _help as table  # type: ignore[attr-defined]  # only in the wheel (hatch_build.py)
    except ImportError:
        return None
    text = table.TEXTS.get(command)
    if not isinstance(text, str) or not _same_sources(table.SOURCES, table.TYPER) or not _no_message_catalog(environ):
        return None
    return text


_HELP_OPTIONS = ("--help", "-h")


def _same_sources(sources: dict[str, int], typer_checksum: int) -> bool:
    """The package files the table was rendered from, and typer's __init__.py (its version), unchanged since."""
    from binascii import crc32  # the checksum of help_build.checksum

    folder = os.path.dirname(os.path.abspath(__file__))
    files = [(os.path.join(folder, name), checksum) for name, checksum in sources.items()]
    typer = _module_origin("typer")
    if typer is None:
        return False
    files.append((typer, typer_checksum))
    for path, checksum in files:
        try:
            with open(path, "rb") as source:
                if crc32(source.read()) != checksum:
                    return False
        except OSError:
            return False
    return True


def _module_origin(name: str) -> Optional[str]:
    """The file `import name` would load, found the way the import system finds it (sys.meta_path), without importing."""
    for finder in sys.meta_path:
        find_spec = getattr(finder, "find_spec", None)
        spec = find_spec(name, None) if find_spec is not None else None
        if spec is not None:
            return spec.origin if isinstance(spec.origin, str) else None
    return None


def _no_message_catalog(environ: os._Environ[str] | dict[str, str]) -> bool:
    """True when gettext.find("messages") (the catalog click's words are looked up in) finds nothing, without importing
    gettext: no language set, or "C", or no messages.mo for any language in the default folder gettext searches."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            break
    else:
        return True
    if value == "C":
        return True
    if "/" in value or os.sep in value:
        return False  # a language that is a path could reach a catalog outside the folder
    folder = os.path.join(sys.base_prefix, "share", "locale")
    try:
        languages = os.listdir(folder)
    except OSError:
        return True
    return not any(os.path.exists(os.path.join(folder, language, "LC_MESSAGES", "messages.mo")) for language in languages)


def _print_help(text: str) -> NoReturn:
    """Print the help and end the process the way the typer path ends it (commands.exit_process, which this does not
    import: it would cost a fifth of the run): output flushed, no interpreter teardown."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        os._exit(1)  # as typer does for a reader that left: status 1, nothing said
    os._exit(0)


def _version() -> int:
    from . import __version__

    sys.stdout.write(f"flashgroup {__version__}\n")
    return 0


def _one_campaign_file(argv: list[str]) -> bool:
    parsed = _parse(argv)
    return parsed is not None and len(parsed[2]) == 1 and os.path.isfile(parsed[2][0])


def main() -> None:
    """The console script `flashgroup`."""
    try:
        _run()
    except KeyboardInterrupt:
        # Ctrl-C while Python is still importing, before a command's own handling (commands.run) or typer's: the
        # same end as there, exit 130 and no traceback.
        os._exit(130)


def _run() -> None:
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
    code = job()
    from .commands import exit_process

    exit_process(code)
