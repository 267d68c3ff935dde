"""The command line: parse options, call load → schedule → render → export, turn errors into exit codes.

Imports stay inside the commands so `flashgroup --help` does not pay for Jinja, rich or the calendar library.
"""

import enum
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

EXIT_INVALID = 1  # an invalid campaign file
EXIT_USAGE = 2  # wrong command-line use (click's own code for usage errors)
EXIT_INTERNAL = 70  # a bug of ours: said plainly, never a traceback

app = typer.Typer(
    name="flashgroup",
    help=(
        "Plan a 快闪群 (flash-group sale) from one campaign file: the dated Moments posts, the minute-by-minute "
        "group run-sheet and the wrap-up, by the rules of the method (RULES.md IDs such as WU-7, GR-6, END-1).\n\n"
        "Start with `flashgroup example retail > campaign.yml`, edit it, then `flashgroup timeline campaign.yml`."
    ),
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


CompressedOpt = Annotated[
    bool, typer.Option("--compressed", help="Use the compressed 3-day warm-up script (WU-9) instead of the standard 5 days (WU-2).")
]


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"flashgroup {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool], typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = None,
) -> None:
    """Plan a flash-group sale by the method's rules."""


class ColorChoice(str, enum.Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _use_color(choice: ColorChoice, terminal: bool) -> bool:
    """--color always/never decide; auto: NO_COLOR (any value) turns colour off, FORCE_COLOR (not 0) on, else a terminal."""
    import os

    if choice != ColorChoice.auto:
        return choice == ColorChoice.always
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
        _write_stdout(text)
        return
    command = os.environ.get("FLASHGROUP_PAGER") or os.environ.get("PAGER") or "less -R"
    try:
        argv = shlex.split(command)
    except ValueError:
        argv = []
    if not argv or argv == ["cat"]:
        _write_stdout(text)
        return
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX"), "LESSCHARSET": os.environ.get("LESSCHARSET", "utf-8")}
    try:
        process = subprocess.Popen(argv, stdin=subprocess.PIPE, env=env)
    except OSError:
        _write_stdout(text)  # no such pager: print rather than fail
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


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (OSError, ValueError):
        return False


def _write_stdout(text: str) -> None:
    """The output on stdout; a reader that left (`| head`) ends the output, not the command (its status stands)."""
    from .outfiles import StdoutGone, write_stdout

    try:
        write_stdout(text)
    except StdoutGone:
        pass


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (OSError, ValueError):
        return False


def _say(text: str) -> None:
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


def _run(job):  # type: ignore[no-untyped-def]
    """Run a command body; every failure becomes a message on stderr and an exit code, never a traceback."""
    import os

    from .errors import UsageError, UserError

    try:
        return job()
    except UsageError as exc:
        _say(f"flashgroup: error: {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    except UserError as exc:
        _say(str(exc) if exc.located else f"flashgroup: error: {exc}")
        raise typer.Exit(EXIT_INVALID) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        if os.environ.get("FLASHGROUP_DEBUG"):
            raise
        _say(f"flashgroup: internal error: {type(exc).__name__}: {exc} (please report it; FLASHGROUP_DEBUG=1 shows the traceback)")
        raise typer.Exit(EXIT_INTERNAL) from None


class OutputFormat(str, enum.Enum):
    text = "text"
    table = "table"
    md = "md"
    json = "json"
    csv = "csv"
    ics = "ics"
    html = "html"
    cards = "cards"


CampaignsArg = Annotated[
    list[Path],
    typer.Argument(
        help="Campaign files (YAML, format v1: docs/campaign-file.md) or folders of them (searched for *.yml, *.yaml).",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    Optional[OutputFormat],
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="text (plain, WeChat-ready), table, md (with a pandoc title/lang block), json (docs/timeline-json.md), csv (run-sheet, "
        "UTF-8 with BOM for Excel/WPS), ics (calendar with alarms); plan only: html (the run page for the phone, one "
        "self-contained file) or cards (-o FOLDER: one text card per role). Default: a terminal view, md when piped; with "
        "-o FILE, the file's suffix (.txt is text).",
    ),
]
OutputOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--output",
        "-o",
        help="Write to this file, or with several campaigns or a folder, into this folder: one file per campaign, named "
        "after the campaign file. Written atomically: an error never leaves a half-written file.",
        show_default=False,
    ),
]
ColorOpt = Annotated[
    ColorChoice,
    typer.Option(
        "--color",
        case_sensitive=False,
        help="Colour the terminal view (and -f table/text): auto (on a terminal, unless NO_COLOR is set; FORCE_COLOR turns it "
        "on even in a pipe), always or never. Texts are never coloured.",
    ),
]
NoPagerOpt = Annotated[
    bool,
    typer.Option(
        "--no-pager",
        help="On a terminal, print straight out instead of through the pager (FLASHGROUP_PAGER, PAGER, else `less -R`) used "
        "when the output is longer than the screen.",
    ),
]
RemindOpt = Annotated[
    str,
    typer.Option(
        "--remind",
        metavar="DURATION",
        help="ics: how long before a Moments post its alarm rings (default 10m; 0m to 48h). In-group cues ring at their "
        "time, and no alarm rings before the action ahead of it, so alarms come in run-sheet order.",
    ),
]


def _parse_remind(text: str):  # type: ignore[no-untyped-def]
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


def _produce(
    plan: bool,
    paths: list[Path],
    compressed: bool,
    fmt: Optional[OutputFormat],
    output: Optional[Path],
    templates: Optional[Path],
    remind: str,
    color: ColorChoice = ColorChoice.auto,
    pager: bool = True,
) -> None:
    """The shared body of `plan` and `timeline` (see produce.py for what goes where)."""

    def job() -> None:
        from .campaign_paths import find_campaigns
        from .errors import UsageError, UserError
        from .outputs.check_text import format_finding
        from .produce import Printer, Request, build, check_format, produce_file, produce_folder, writes_a_folder

        request = Request(plan, compressed, fmt.value if fmt else None, templates, _parse_remind(remind))
        given = [str(p) for p in paths]
        nonlocal output
        if output is not None and str(output) == "-":
            output = None  # `-o -`: standard output, as many tools read it
        check_format(request, output)
        found = find_campaigns(given)
        for line in found.warnings + found.errors:
            _say(line)
        sources = found.files
        if found.errors and not sources:
            raise typer.Exit(EXIT_INVALID)
        if not sources and output is not None:
            raise UsageError(f"no campaign files (*.yml, *.yaml) in {', '.join(given)}")

        def warn(finding) -> None:  # type: ignore[no-untyped-def]
            _say(format_finding(finding))

        def fail(source: str, exc: UserError) -> None:
            _say(str(exc) if exc.located else f"{source}: error: {exc}")

        if output is None:
            folders = [g for g in given if Path(g).is_dir()]
            if folders:
                # Without -o a folder is not something to print; say so the way a bad campaign file is reported.
                for folder in folders:
                    _say(
                        f"{folder}:1:1: error: is a folder, not a campaign file; to write one output per campaign in it, add -o OUTPUT_FOLDER"
                    )
                raise typer.Exit(EXIT_INVALID)
            if len(sources) > 1:
                raise UsageError(f"{len(sources)} campaigns: give -o FOLDER to write one file per campaign")
            doc = build(sources[0], request, warn)
            terminal = _stdout_is_terminal()
            colored = _use_color(color, terminal)
            if request.fmt in (None, "table", "text") and (terminal or colored) and not (request.fmt is None and not terminal):
                import shutil

                from .emit import terminal_text

                width = shutil.get_terminal_size((120, 40)).columns if terminal else 120
                shown = terminal_text(doc, plan=plan, fmt=request.fmt, width=width, color=colored)
                _show(shown, pager and terminal)
            else:
                from .emit import render_text

                _write_stdout(render_text(doc, request.fmt or "md", plan=plan, remind=request.remind))
            return
        if not writes_a_folder(sources, given, output) or (request.fmt == "cards" and len(sources) == 1 and not Path(given[0]).is_dir()):
            produce_file(sources[0], output, request, warn)
            return
        global _keep_teardown
        _keep_teardown = True  # a folder run: let the interpreter tear down as usual (see main)
        printer = Printer(warn=warn, fail=fail, info=_say)
        if len(sources) >= 5 and _stderr_is_terminal():
            from rich.progress import Progress

            with Progress(transient=True, console=_stderr_console()) as bar:
                task = bar.add_task("flashgroup", total=len(sources))
                failed = produce_folder(sources, given, output, request, printer, lambda done, total: bar.update(task, completed=done))
        else:
            failed = produce_folder(sources, given, output, request, printer)
        if failed or found.errors:
            raise typer.Exit(EXIT_INVALID)

    _run(job)


def _stderr_console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=True)


@app.command()
def timeline(
    campaigns: CampaignsArg,
    compressed: CompressedOpt = False,
    output_format: FormatOpt = None,
    output: OutputOpt = None,
    remind: RemindOpt = "10m",
    color: ColorOpt = ColorChoice.auto,
    no_pager: NoPagerOpt = False,
) -> None:
    """Every dated action of the campaign, minute by minute: warm-up posts, group run-sheet, wrap-up.

    Times are in the campaign's own zone with their real UTC offset; cues that depend on sales (stock, tiers) are
    listed as triggers, not clock times. The method's check runs first: warnings go to stderr, errors stop.
    """
    _produce(False, campaigns, compressed, output_format, output, None, remind, color, not no_pager)


@app.command()
def plan(
    campaigns: CampaignsArg,
    compressed: CompressedOpt = False,
    output_format: FormatOpt = None,
    output: OutputOpt = None,
    templates: Annotated[
        Optional[Path],
        typer.Option(
            "--templates",
            help="A folder of your own templates: any file named like a shipped one (e.g. group.rules.zh.j2) replaces it. "
            "Runs in Jinja's sandbox.",
            exists=True,
            file_okay=False,
            dir_okay=True,
        ),
    ] = None,
    remind: RemindOpt = "10m",
    color: ColorOpt = ColorChoice.auto,
    no_pager: NoPagerOpt = False,
) -> None:
    """The whole campaign as one document to run the sale from: every post and message, ready to paste.

    The operator's sheet (groups, who does what, materials, gift budget, hard rules) comes first, then the warm-up posts,
    the sale-day run-sheet and the wrap-up, each text in its own block with its time and rule IDs.
    `flashgroup plan c.yml > plan.md`, `flashgroup plan c.yml | pandoc -o plan.docx`,
    `flashgroup plan c.yml -o plan.html` (the run page for the phone), `flashgroup plan c.yml --format cards -o cards/`
    (one text card per role), `flashgroup plan campaigns/ -o out/ --format ics`.
    """
    _produce(True, campaigns, compressed, output_format, output, templates, remind, color, not no_pager)


@app.command()
def example(
    name: Annotated[Optional[str], typer.Argument(help="Which example; leave out to list them.", show_default=False)] = None,
) -> None:
    """Print an example campaign file shipped with flashgroup, to start your own from.

    `flashgroup example retail > campaign.yml` writes one; `flashgroup example` lists them.
    """

    def job() -> None:
        from .errors import UsageError
        from .resources import example_names, example_path

        if name is None:
            _write_stdout("".join(f"{n}\n" for n in example_names()))
            return
        path = example_path(name)
        if path is None:
            raise UsageError(f"no example called {name!r}; there are: {', '.join(example_names())}")
        _write_stdout(path.read_text(encoding="utf-8"))

    _run(job)


class Language(str, enum.Enum):
    zh = "zh"
    en = "en"


@app.command()
def templates(
    folder: Annotated[
        Optional[Path],
        typer.Argument(help="Copy the shipped templates into this folder, to edit them; leave out to list them.", show_default=False),
    ] = None,
    lang: Annotated[Optional[Language], typer.Option("--lang", case_sensitive=False, help="Only this language.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite files already in the folder.")] = False,
) -> None:
    """The copy templates `flashgroup plan` uses: list them, or copy them to a folder to make them your own.

    Edit the copies, delete the ones you keep as shipped, then `flashgroup plan c.yml --templates FOLDER`.
    What a template can use: docs/templates.md.
    """

    def job() -> None:
        from .errors import UsageError
        from .resources import templates_dir

        shipped = sorted(p for p in templates_dir().iterdir() if p.suffix == ".j2")
        if lang:
            shipped = [p for p in shipped if f".{lang.value}." in p.name]
        if folder is None:
            _write_stdout("".join(f"{p.name}\n" for p in shipped))
            return
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{folder} is a file, not a folder")
        clashes = [p.name for p in shipped if (folder / p.name).exists()]
        if clashes and not force:
            raise UsageError(f"{folder} already has {', '.join(clashes[:5])}{' ...' if len(clashes) > 5 else ''}; add --force to overwrite")
        from .outfiles import write_file

        for path in shipped:
            # Never through a symlink or onto a device: a copy is a plain file in the folder.
            write_file(folder / path.name, path.read_text(encoding="utf-8"), no_links=True)
        _say(f"copied {len(shipped)} templates to {folder}")

    _run(job)


class CheckFormat(str, enum.Enum):
    text = "text"
    json = "json"


@app.command()
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Campaign files and folders; folders are searched recursively for *.yml and *.yaml.", show_default=False),
    ],
    output_format: Annotated[
        CheckFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="text: `FILE:LINE:COL: CODE severity: message — fix`, then a summary line; json: the contract in docs/checks.md.",
        ),
    ] = CheckFormat.text,
    now: Annotated[
        Optional[str],
        typer.Option(
            "--now",
            metavar="TIME",
            help="Check as if it were this moment (ISO 8601), for the time checks TIME-1, WU-2, WU-9. With an offset or Z it is "
            "an instant; without (2026-12-10T09:00) it is that wall time in each campaign's own zone. Default: the real now.",
        ),
    ] = None,
    select: Annotated[
        Optional[list[str]],
        typer.Option(
            "--select",
            metavar="CODE",
            help="Run only these checks: codes (GR-5), comma lists (GR-3,GR-5) or families (SEL, WU, GR, END, AD, TIME, CHK). Repeatable.",
        ),
    ] = None,
    ignore: Annotated[
        Optional[list[str]],
        typer.Option(
            "--ignore", metavar="CODE", help="Skip these checks, like --select. A file's own `checks: {ignore: [...]}` applies too."
        ),
    ] = None,
    compressed: Annotated[
        bool,
        typer.Option(
            "--compressed",
            help="The compressed 3-day script (WU-9) will run: no WU-2 warning, and its posts are the ones checked for the "
            "quiet hours. Default: the standard script, unless it is already too late for it.",
        ),
    ] = False,
    lang: Annotated[
        Optional[Language],
        typer.Option(
            "--lang",
            case_sensitive=False,
            help="The language of messages and fixes: zh or en. Default: each campaign's `language`. Codes and locations are the same.",
        ),
    ] = None,
    templates: Annotated[
        Optional[Path],
        typer.Option(
            "--templates",
            help="Also render the copy with your own templates (as plan --templates does) and check its words (AD-1 to AD-4), "
            "located at the template's line.",
            exists=True,
            file_okay=False,
            dir_okay=True,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Lint campaign files against the method's rules: each finding with its rule code, place in the file and a fix.

    Errors break a rule of the method (or make the file unusable); warnings are probably wrong; info is worth a look.
    Exit status: 1 when any error is found, 0 otherwise, 2 for wrong use (an unknown code, a bad --now).
    `flashgroup rules CODE` explains a rule.
    """

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
            _say(line)
        files = found.files
        if not files:
            _say("flashgroup: warning: no campaign files (*.yml, *.yaml) found")
        language = lang.value if lang else None
        report = check_files(
            files,
            now=moment,
            select=codes["--select"],
            ignore=codes["--ignore"],
            compressed=compressed or None,
            language=language,
            templates=templates.resolve() if templates else None,
        )
        if output_format == CheckFormat.json:
            from .outputs.check_json import render_check_json

            _write_stdout(render_check_json(report))
        else:
            from .outputs.check_text import render_check_text

            _write_stdout(render_check_text(report))
        if report.errors or found.errors:
            raise typer.Exit(EXIT_INVALID)

    _run(job)


@app.command()
def rules(
    code: Annotated[
        Optional[str], typer.Argument(help="A rule code such as SEL-5 or GR-14; leave out to list every rule.", show_default=False)
    ] = None,
    lang: Annotated[
        Optional[Language],
        typer.Option("--lang", case_sensitive=False, help="zh or en. Default: the language of --campaign, else zh."),
    ] = None,
    campaign: Annotated[
        Optional[Path], typer.Option("--campaign", "-c", help="Speak the language of this campaign file.", show_default=False)
    ] = None,
) -> None:
    """The method's rules: every rule with its one-line summary, or one rule explained (what the method says, why, what to do,
    and what `flashgroup check` reports for it).
    """

    def job() -> None:
        import difflib

        from .checks import severities_by_code
        from .errors import UsageError
        from .outputs.rules_text import render_rule, render_rule_list
        from .rules_catalog import campaign_language, load_catalog

        language = lang.value if lang else (campaign_language(campaign) if campaign else "zh")
        catalog = load_catalog(language)
        severities = severities_by_code()
        if code is None:
            _write_stdout(render_rule_list(catalog, severities))
            return
        rule = catalog.find(code)
        if rule is None:
            close = difflib.get_close_matches(code.strip().upper(), list(catalog.rules), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else "; `flashgroup rules` lists them"
            raise UsageError(f"no rule {code!r}{hint}")
        _write_stdout(render_rule(catalog, rule, severities.get(rule.code, ())))

    _run(job)


_keep_teardown = False  # set by a folder run (`plan DIR -o OUT`)


def main() -> None:
    """The console script. Once the command is done and its output flushed, the process ends without the interpreter's
    teardown (freeing every object one by one: 10-15 ms, a tenth of a one-campaign run), unless a folder was written."""
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    _exit(code)


def _exit(code: object) -> None:
    import os

    if _keep_teardown or not (code is None or isinstance(code, int)):
        raise SystemExit(code)  # the ordinary way (a text code is printed by the interpreter, then exit 1)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except BaseException:  # noqa: BLE001 - a reader that left, a full disk: the ordinary exit reports it as it always did
        raise SystemExit(code) from None
    os._exit(code or 0)
