"""The bodies of the commands, shared by the typer app (cli.py) and the fast path (fastpath.py): neither holds any logic
of its own beyond reading the command line. No typer here, so the fast path never imports it.

Each body returns the exit status; failures become a message on stderr and a status, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any, Optional

EXIT_INVALID = 1  # an invalid campaign file
EXIT_USAGE = 2  # wrong command-line use (click's own code for usage errors)
EXIT_INTERNAL = 70  # a bug of ours: said plainly, never a traceback

COLOR_CHOICES = ("auto", "always", "never")
OUTPUT_FORMATS = ("text", "table", "md", "json", "csv", "ics", "html", "cards")
CHECK_FORMATS = ("text", "json")
LANGUAGES = ("zh", "en")


class CommandExit(Exception):
    """End the command with this exit status (what the message, if any, already said)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _use_color(choice: str, terminal: bool) -> bool:
    """--color always/never decide; auto: NO_COLOR (any value) turns colour off, FORCE_COLOR (not 0) on, else a terminal."""
    import os

    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    return terminal


def _show(text: str, pager: bool) -> None:
    """On a terminal: through the pager when longer than the screen (FLASHGROUP_PAGER, else PAGER, else `less -R`;
    an empty or `cat` pager, or --no-pager, prints straight out)."""
    import os
    import shlex
    import shutil
    import subprocess

    if not pager or text.count("\n") < shutil.get_terminal_size().lines:
        write_stdout(text)
        return
    command = os.environ.get("FLASHGROUP_PAGER") or os.environ.get("PAGER") or "less -R"
    try:
        argv = shlex.split(command)
    except ValueError:
        argv = []
    if not argv or argv == ["cat"]:
        write_stdout(text)
        return
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX"), "LESSCHARSET": os.environ.get("LESSCHARSET", "utf-8")}
    try:
        process = subprocess.Popen(argv, stdin=subprocess.PIPE, env=env)
    except OSError:
        write_stdout(text)  # no such pager: print rather than fail
        return
    assert process.stdin is not None
    try:
        process.stdin.write(text.encode("utf-8"))
        process.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit the pager before the end
    while True:
        try:
            process.wait()
            return
        except KeyboardInterrupt:
            continue  # Ctrl-C belongs to the pager


def _is_terminal(stream: Any) -> bool:
    """sys.stdout / sys.stderr is a terminal; a closed or missing stream is not."""
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False


def write_stdout(text: str) -> None:
    """The output on stdout; a reader that left (`| head`) ends the output, not the command (its status stands)."""
    from .outfiles import StdoutGone, write_stdout

    try:
        write_stdout(text)
    except StdoutGone:
        pass


def say(text: str) -> None:
    """One message on stderr. A closed or broken stderr (`2>&-`, `2>&1 | head -1`) loses the message but never changes
    what the command does or its exit status."""
    import os

    from .safe_text import lines_safe

    if sys.stderr is None:
        return
    try:
        sys.stderr.write(lines_safe(text) + "\n")  # no control character reaches the terminal; lines stay lines
        sys.stderr.flush()
    except (OSError, ValueError):
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stderr.fileno())
        except (OSError, ValueError):
            pass


def run(job: Callable[[], None]) -> int:
    """Run a command body and return its exit status; every failure becomes a message on stderr and a status, never a
    traceback."""
    import os

    from .errors import RunStopped, UsageError, UserError

    try:
        job()
    except CommandExit as exc:
        return exc.code
    except UsageError as exc:
        say(f"flashgroup: error: {exc}")
        return EXIT_USAGE
    except UserError as exc:
        say(str(exc) if exc.located else f"flashgroup: error: {exc}")
        return EXIT_INVALID
    except RunStopped as exc:
        say(f"flashgroup: error: {exc}")
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        if os.environ.get("FLASHGROUP_DEBUG"):
            raise
        say(f"flashgroup: internal error: {type(exc).__name__}: {exc} (please report it; FLASHGROUP_DEBUG=1 shows the traceback)")
        return EXIT_INTERNAL
    return 0


def parse_remind(text: str):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from .durations import parse_duration
    from .errors import UsageError
    from .safe_text import quoted

    try:
        value = parse_duration(text)
    except ValueError:
        raise UsageError(f"--remind must be a duration from 0m to 48h, like 10m, 15m or 1h (got {quoted(text)})") from None
    if not timedelta(0) <= value <= timedelta(days=2):
        raise UsageError(f"--remind must be from 0m to 48h (got {quoted(text)})")
    return value


def produce(
    plan: bool,
    paths: list[Path],
    compressed: bool,
    fmt: Optional[str],
    output: Optional[Path],
    templates: Optional[Path],
    remind: str,
    color: str = "auto",
    pager: bool = True,
) -> int:
    """The body of `plan` and `timeline` (see produce.py for what goes where); returns the exit status."""

    def job() -> None:
        from .campaign_paths import find_campaigns
        from .errors import UsageError, UserError
        from .outputs.check_text import format_finding
        from .produce import Printer, Request, build, check_format, produce_file, produce_folder, writes_a_folder

        request = Request(plan, compressed, fmt, templates, parse_remind(remind))
        given = [str(p) for p in paths]
        nonlocal output
        if output is not None and str(output) == "-":
            output = None  # `-o -`: standard output, as many tools read it
        check_format(request, output)
        found = find_campaigns(given)
        for line in found.warnings + found.errors:
            say(line)
        sources = found.files
        if found.errors and not sources:
            raise CommandExit(EXIT_INVALID)
        if not sources and output is not None:
            raise UsageError(f"no campaign files (*.yml, *.yaml) in {', '.join(given)}")

        def warn(finding) -> None:  # type: ignore[no-untyped-def]
            say(format_finding(finding))

        def fail(source: str, exc: UserError) -> None:
            say(str(exc) if exc.located else f"{source}: error: {exc}")

        if output is None:
            folders = [g for g in given if Path(g).is_dir()]
            if folders:
                # Without -o a folder is not something to print; say so the way a bad campaign file is reported.
                for folder in folders:
                    say(
                        f"{folder}:1:1: error: is a folder, not a campaign file; to write one output per campaign in it, add -o OUTPUT_FOLDER"
                    )
                raise CommandExit(EXIT_INVALID)
            if len(sources) > 1:
                raise UsageError(f"{len(sources)} campaigns: give -o FOLDER to write one file per campaign")
            doc = build(sources[0], request, warn)
            terminal = _is_terminal(sys.stdout)
            colored = _use_color(color, terminal)
            if request.fmt in (None, "table", "text") and (terminal or colored) and not (request.fmt is None and not terminal):
                import shutil

                from .emit import terminal_text

                width = shutil.get_terminal_size((120, 40)).columns if terminal else 120
                shown = terminal_text(doc, plan=plan, fmt=request.fmt, width=width, color=colored)
                _show(shown, pager and terminal)
            else:
                from .emit import render_text

                write_stdout(render_text(doc, request.fmt or "md", plan=plan, remind=request.remind))
            return
        if not writes_a_folder(sources, given, output) or (request.fmt == "cards" and len(sources) == 1 and not Path(given[0]).is_dir()):
            produce_file(sources[0], output, request, warn, say)
            return
        global keep_teardown
        keep_teardown = True  # a folder run: let the interpreter tear down as usual (see exit_process)
        printer = Printer(warn=warn, fail=fail, info=say)
        from .workers import folder_workers

        with folder_workers(len(sources)) as workers:  # worker processes (FLASHGROUP_JOBS), started before the bar's thread
            if len(sources) >= 5 and _is_terminal(sys.stderr):
                from rich.progress import Progress

                with Progress(transient=True, console=_stderr_console()) as bar:
                    task = bar.add_task("flashgroup", total=len(sources))
                    failed = produce_folder(
                        sources, given, output, request, printer, lambda done, total: bar.update(task, completed=done), workers
                    )
            else:
                failed = produce_folder(sources, given, output, request, printer, workers=workers)
        if failed or found.errors:
            raise CommandExit(EXIT_INVALID)

    return run(job)


def _stderr_console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=True)


def check(
    paths: list[Path],
    output_format: str = "text",
    now: Optional[str] = None,
    select: Optional[list[str]] = None,
    ignore: Optional[list[str]] = None,
    compressed: bool = False,
    lang: Optional[str] = None,
    templates: Optional[Path] = None,
) -> int:
    """The body of `check`; returns the exit status."""

    def job() -> None:
        from .campaign_paths import find_campaigns
        from .check_files import check_files, parse_now
        from .checks import UnknownCodeError, expand_codes
        from .errors import UsageError

        codes = {}
        for option, values in (("--select", select), ("--ignore", ignore)):
            try:
                codes[option] = expand_codes(values) if values else None
            except UnknownCodeError as exc:
                raise UsageError(f"{option}: {exc}") from None
        moment = parse_now(now)
        found = find_campaigns(paths)
        for line in found.warnings + found.errors:
            say(line)
        files = found.files
        if not files:
            say("flashgroup: warning: no campaign files (*.yml, *.yaml) found")

        def checked(workers=None):  # type: ignore[no-untyped-def]
            return check_files(
                files,
                now=moment,
                select=codes["--select"],
                ignore=codes["--ignore"],
                compressed=compressed or None,
                language=lang,
                templates=templates.resolve() if templates else None,
                workers=workers,
            )

        if len(files) > 1:
            from .workers import MIN_CHECKED, folder_workers

            with folder_workers(len(files), least=MIN_CHECKED) as workers:  # for a big folder (FLASHGROUP_JOBS)
                report = checked(workers)
        else:
            report = checked()  # one file: nothing to share out, and nothing more to import
        if output_format == "json":
            from .outputs.check_json import render_check_json

            write_stdout(render_check_json(report))
        else:
            from .outputs.check_text import render_check_text

            write_stdout(render_check_text(report))
        if report.errors or found.errors:
            raise CommandExit(EXIT_INVALID)

    return run(job)


keep_teardown = False  # set by a folder run (`plan DIR -o OUT`)


def exit_process(code: object) -> None:
    """End the process. Once the command is done and its output flushed, without the interpreter's teardown (freeing
    every object one by one: 10-15 ms, a tenth of a one-campaign run), unless a folder was written."""
    import os

    if keep_teardown or not (code is None or isinstance(code, int)):
        raise SystemExit(code)  # the ordinary way (a text code is printed by the interpreter, then exit 1)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except BaseException:  # noqa: BLE001 - a reader that left, a full disk: the ordinary exit reports it as it always did
        raise SystemExit(code) from None
    os._exit(code or 0)
