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


class TimelineFormat(str, enum.Enum):
    table = "table"
    md = "md"
    json = "json"
    csv = "csv"


CampaignArg = Annotated[Path, typer.Argument(help="The campaign file (YAML, format v1; see docs/campaign-file.md).", show_default=False)]
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
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = None,
) -> None:
    """Plan a flash-group sale by the method's rules."""


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _write_stdout(text: str) -> None:
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def _run(job):  # type: ignore[no-untyped-def]
    """Run a command body; every failure becomes a message on stderr and an exit code, never a traceback."""
    import os

    from .errors import CampaignError, UsageError, UserError

    try:
        return job()
    except CampaignError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except UsageError as exc:
        typer.echo(f"flashgroup: error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except UserError as exc:
        typer.echo(f"flashgroup: error: {exc}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except BrokenPipeError:
        # `flashgroup timeline c.yml | head`: the reader left; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        if os.environ.get("FLASHGROUP_DEBUG"):
            raise
        typer.echo(
            f"flashgroup: internal error: {type(exc).__name__}: {exc} (please report it; FLASHGROUP_DEBUG=1 shows the traceback)", err=True
        )
        raise typer.Exit(EXIT_INTERNAL) from None


@app.command()
def timeline(
    campaign: CampaignArg,
    compressed: CompressedOpt = False,
    output_format: Annotated[
        Optional[TimelineFormat],
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="table (a terminal's default), md (the default when piped), json (the contract in docs/timeline-json.md) or csv.",
        ),
    ] = None,
) -> None:
    """Every dated action of the campaign, minute by minute: warm-up posts, group run-sheet, wrap-up.

    Times are in the campaign's own zone with their real UTC offset; cues that depend on sales (stock, tiers)
    are listed as triggers, not clock times.
    """

    def job() -> None:
        from .pipeline import timeline_document

        doc = timeline_document(campaign, compressed=compressed)
        fmt = output_format.value if output_format else ("table" if _stdout_is_terminal() else "md")
        if fmt == "table":
            from rich.console import Console

            from .outputs.table_output import print_timeline_table

            print_timeline_table(doc, Console())
        elif fmt == "json":
            from .outputs.json_output import render_json

            _write_stdout(render_json(doc))
        elif fmt == "csv":
            from .outputs.csv_output import render_csv

            _write_stdout(render_csv(doc))
        else:
            from .outputs.markdown_output import render_timeline_markdown

            _write_stdout(render_timeline_markdown(doc))

    _run(job)


class PlanFormat(str, enum.Enum):
    md = "md"
    json = "json"


@app.command()
def plan(
    campaign: CampaignArg,
    compressed: CompressedOpt = False,
    output_format: Annotated[
        Optional[PlanFormat],
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="md (the default; rendered with colour on a terminal, clean Markdown when piped) or json "
            "(the timeline contract with `text` and `note` filled).",
        ),
    ] = None,
    templates: Annotated[
        Optional[Path],
        typer.Option(
            "--templates",
            help="A folder of your own templates: any file named like a shipped one (e.g. group.rules.zh.j2) "
            "replaces it. Runs in Jinja's sandbox.",
            exists=True,
            file_okay=False,
            dir_okay=True,
        ),
    ] = None,
) -> None:
    """The whole campaign as one document to run the sale from: every post and message, ready to paste.

    The operator's sheet (groups, helper roster, materials, red-envelope budget) comes first, then the warm-up posts,
    the sale-day run-sheet and the wrap-up, each text in its own block, each with its time and rule IDs.
    `flashgroup plan c.yml > plan.md`, or `| pandoc -o plan.docx`.
    """

    def job() -> None:
        from .pipeline import plan_document

        doc = plan_document(campaign, compressed=compressed, templates=templates)
        if output_format == PlanFormat.json:
            from .outputs.json_output import render_json

            _write_stdout(render_json(doc))
            return
        from .outputs.plan_markdown import render_plan_markdown

        text = render_plan_markdown(doc)
        if _stdout_is_terminal():
            from rich.console import Console
            from rich.markdown import Markdown

            Console().print(Markdown(text, code_theme="ansi_light"))
        else:
            _write_stdout(text)

    _run(job)


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


class CheckFormat(str, enum.Enum):
    text = "text"
    json = "json"


class RulesLanguage(str, enum.Enum):
    zh = "zh"
    en = "en"


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
            help="Run only these checks: codes (GR-5), comma lists (GR-3,GR-5) or families (SEL, WU, GR, END, TIME, CHK). Repeatable.",
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
) -> None:
    """Lint campaign files against the method's rules: each finding with its rule code, place in the file and a fix.

    Errors break a rule of the method (or make the file unusable); warnings are probably wrong; info is worth a look.
    Exit status: 1 when any error is found, 0 otherwise, 2 for wrong use (an unknown code, a bad --now).
    `flashgroup rules CODE` explains a rule.
    """

    def job() -> None:
        from .check_files import campaign_files, check_files, parse_now
        from .checks import UnknownCodeError, expand_codes
        from .errors import UsageError

        codes = {}
        for option, values in (("--select", select), ("--ignore", ignore)):
            try:
                codes[option] = expand_codes(values) if values else None
            except UnknownCodeError as exc:
                raise UsageError(f"{option}: {exc}") from None
        moment = parse_now(now)
        files = campaign_files(paths)
        if not files:
            typer.echo("flashgroup: warning: no campaign files (*.yml, *.yaml) found", err=True)
        report = check_files(files, now=moment, select=codes["--select"], ignore=codes["--ignore"], compressed=compressed or None)
        if output_format == CheckFormat.json:
            from .outputs.check_json import render_check_json

            _write_stdout(render_check_json(report))
        else:
            from .outputs.check_text import render_check_text

            _write_stdout(render_check_text(report))
        if report.errors:
            raise typer.Exit(EXIT_INVALID)

    _run(job)


@app.command()
def rules(
    code: Annotated[
        Optional[str], typer.Argument(help="A rule code such as SEL-5 or GR-14; leave out to list every rule.", show_default=False)
    ] = None,
    lang: Annotated[
        Optional[RulesLanguage],
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


def main() -> None:
    app()
