"""The command line through typer: parse options, then run the command's body (commands.py, shared with the fast path
in fastpath.py, which runs the common valid command lines without importing typer).

Imports stay inside the commands so `flashgroup --help` does not pay for Jinja, rich or the calendar library.
"""

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import commands
from .commands import run, say, write_stdout

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


def _run(job):  # type: ignore[no-untyped-def]
    """Run a command body (commands.run); a failure ends the command with its exit status."""
    _exit_with(run(job))


def _exit_with(code: int) -> None:
    if code:
        raise typer.Exit(code)


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
    fmt = output_format.value if output_format else None
    _exit_with(commands.produce(False, campaigns, compressed, fmt, output, None, remind, color.value, not no_pager))


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
    fmt = output_format.value if output_format else None
    _exit_with(commands.produce(True, campaigns, compressed, fmt, output, templates, remind, color.value, not no_pager))


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
            write_stdout("".join(f"{n}\n" for n in example_names()))
            return
        path = example_path(name)
        if path is None:
            raise UsageError(f"no example called {name!r}; there are: {', '.join(example_names())}")
        write_stdout(path.read_text(encoding="utf-8"))

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
            write_stdout("".join(f"{p.name}\n" for p in shipped))
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
        say(f"copied {len(shipped)} templates to {folder}")

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

    language = lang.value if lang else None
    _exit_with(commands.check(paths, output_format.value, now, select, ignore, compressed, language, templates))


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
            write_stdout(render_rule_list(catalog, severities))
            return
        rule = catalog.find(code)
        if rule is None:
            close = difflib.get_close_matches(code.strip().upper(), list(catalog.rules), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else "; `flashgroup rules` lists them"
            raise UsageError(f"no rule {code!r}{hint}")
        write_stdout(render_rule(catalog, rule, severities.get(rule.code, ())))

    _run(job)


def main() -> None:
    """The console script through typer (fastpath.main tries the common, fully valid command lines first)."""
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    commands.exit_process(code)
