"""`plan` and `timeline` over one or many campaign files: check, build, render, then print or write atomically.

The CLI passes in how to print; this module decides what goes where: one campaign to stdout, a file with `-o FILE`,
several campaigns or a folder to `-o DIR` (one output per campaign file, a bad one reported while the others are
written). The method's check runs first: its warnings are printed and the output still comes; its errors stop that
campaign (plan/timeline skip the checks that depend on the clock, so the output depends on the file alone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path

from .document import Document
from .emit import EXTENSIONS, PLAN_ONLY, render_text
from .errors import OutputError, UsageError, UserError
from .events import Schedule
from .findings import ERROR, WARNING, Finding
from .records import record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any

    from .workers import Workers


class RuleViolations(UserError):
    """The campaign loads but breaks a rule of the method that the check calls an error (END-1 extension, SEL-1...);
    its text is the check's own lines, errors and warnings alike."""

    located = True

    def __init__(self, findings: list[Finding]) -> None:
        from .outputs.check_text import format_finding

        self.findings = findings
        super().__init__("\n".join(format_finding(f) for f in findings))


@record
class Request:
    plan: bool  # plan (with the copy) or timeline
    compressed: bool
    fmt: str | None  # None: the default for where the output goes
    templates: Path | None
    remind: timedelta


@record
class Printer:
    warn: Callable[[Finding], None]  # a check warning, printed on stderr
    fail: Callable[[str, UserError], None]  # a campaign that could not be produced (its source, the error)
    info: Callable[[str], None]  # a summary line on stderr


def build(source: str, request: Request, warn: Callable[[Finding], None]) -> Document:
    from .campaign_file import load_campaign
    from .checks import lint
    from .pipeline import campaign_document

    campaign = load_campaign(source, display=source)
    schedules: dict[bool, Schedule] = {}  # built once, by whichever needs it first: the checks or the document
    findings = [f for f in lint(campaign, now=None, compressed=request.compressed, schedules=schedules) if f.severity in (ERROR, WARNING)]
    if any(f.severity == ERROR for f in findings):
        raise RuleViolations(findings)
    for finding in findings:
        warn(finding)
    document = campaign_document(
        campaign, compressed=request.compressed, plan=request.plan, templates=request.templates, schedule=schedules.get(request.compressed)
    )
    if request.plan:
        copy = copy_findings_of(document, request.templates)
        if any(f.severity == ERROR for f in copy):
            raise RuleViolations(findings + copy)
        for finding in copy:
            warn(finding)
    return document


def copy_findings_of(document: Document, templates: Path | None) -> list[Finding]:
    """AD-1, AD-3, AD-4 in the rendered copy (a user template that writes 全网最低), located at the template's line."""
    from .checks import active_codes
    from .compliance import copy_findings
    from .render import template_name

    campaign = document.campaign
    texts = [(template_name(row.event.kind, campaign.language), row.text) for row in document.rows]
    return copy_findings(campaign, texts, templates, active_codes(campaign))


def format_for_file(output: Path, chosen: str | None) -> str:
    """`-o plan.ics` means ics, `-o sheet.csv` csv, `-o plan.html` the run page...: the suffix decides unless --format does."""
    if chosen:
        return chosen
    by_suffix = {f".{ext}": fmt for fmt, ext in EXTENSIONS.items()}
    by_suffix[".htm"] = "html"
    return by_suffix.get(output.suffix.lower(), "md")


def check_format(request: Request, output: Path | None) -> None:
    """The run page and the cards are made of the copy: only `plan` writes them."""
    fmt = format_for_file(output, request.fmt) if output is not None else request.fmt
    if not request.plan and fmt in PLAN_ONLY:
        raise UsageError(f"--format {fmt} is made from the copy: use `flashgroup plan` (timeline has no texts)")


def write_cards(
    folder: Path, cards: dict[str, str], inputs: Iterable[str | Path], base: Path | None = None, tell: Callable[[str], None] | None = None
) -> None:
    """One card per role in `folder` (created), each written atomically by the rules of outfiles.write_file. A card
    an earlier run left there for a role this plan no longer has (水军5.txt once the roster is down to four) is taken
    away, and `tell` says so: else it would be forwarded to a helper with cues that are no longer the plan's. Only
    regular files named as cards are: nothing else in the folder is touched."""
    from .batch import write_atomically

    if folder.exists() and not folder.is_dir():
        raise UsageError(f"-o {folder}: cards are one file per role and need a folder, and this is a file")
    for name, text in cards.items():
        write_atomically(folder / name, text, inputs, base if base is not None else folder)
    for stale in _stale_cards(folder, cards):
        try:
            stale.unlink()
        except OSError as exc:
            raise OutputError(f"cannot remove the card {stale} of a role this plan no longer has: {exc.strerror or exc}") from None
        if tell is not None:
            tell(f"removed {stale}: a card from an earlier run, for a role this plan no longer has")


def _stale_cards(folder: Path, cards: dict[str, str]) -> list[Path]:
    import os
    import stat

    from .outputs.cards_output import card_names

    is_card_name = card_names().fullmatch
    stale = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name not in cards and is_card_name(entry.name) and stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
                stale.append(folder / entry.name)
    return sorted(stale)


def render_cards(doc: Document) -> dict[str, str]:
    from .outputs.cards_output import render_cards as cards

    return cards(doc)


def writes_a_folder(sources: list[str], given: list[str], output: Path) -> bool:
    return len(sources) > 1 or any(Path(g).is_dir() for g in given) or output.is_dir() or str(output).endswith(("/", "\\"))


def produce_file(
    source: str, output: Path, request: Request, warn: Callable[[Finding], None], tell: Callable[[str], None] | None = None
) -> None:
    from .batch import write_atomically

    fmt = format_for_file(output, request.fmt)
    if fmt == "cards":
        write_cards(output, render_cards(build(source, request, warn)), [source], tell=tell)
        return
    text = render_text(build(source, request, warn), fmt, plan=request.plan, remind=request.remind)
    write_atomically(output, text, [source])


def render_for_folder(source: str, request: Request, fmt: str, warn: Callable[[Finding], None]) -> tuple[str | dict[str, str], str | None]:
    """One campaign of a folder run, ready to write: its text, or its cards by file name, and for a calendar the sale's
    key in its events' UIDs (ics_output.campaign_key; None otherwise). Run in this process or in a worker
    (workers.py), the same function either way."""
    document = build(source, request, warn)
    if fmt == "cards":
        return render_cards(document), None
    text = render_text(document, fmt, plan=request.plan, remind=request.remind)
    if fmt == "ics":
        from .outputs.ics_output import campaign_key

        return text, campaign_key(document)
    return text, None


def produce_folder(
    sources: list[str],
    given: list[str],
    output: Path,
    request: Request,
    printer: Printer,
    progress: Callable[[int, int], None] | None = None,
    workers: Workers | None = None,
) -> int:
    """One output per campaign in `output`; returns how many campaigns failed. With `workers` (workers.py) the
    campaigns are rendered by worker processes and written here, in the same order, with the same messages."""
    from .batch import output_paths, run_batch

    if output.exists() and not output.is_dir():
        raise UsageError(f"-o {output}: several campaigns need a folder, and this is a file")
    fmt = request.fmt or "md"
    targets = output_paths(sources, given, output, EXTENSIONS[fmt])
    if workers is not None:
        ahead = workers.in_order(render_for_folder, sources, request, fmt)
        rendered = lambda source: ahead(source, printer.warn)  # noqa: E731
    else:
        rendered = lambda source: render_for_folder(source, request, fmt, printer.warn)  # noqa: E731
    keys: dict[str, list[str]] = {}  # a calendar's sale key -> the campaigns whose events carry it

    def render(source: str) -> Any:
        output_of_campaign, key = rendered(source)
        if key is not None:
            keys.setdefault(key, []).append(source)
        return output_of_campaign

    if fmt == "cards":  # a folder of cards per campaign: out/<campaign file name>/群主.txt
        from .outfiles import InputFiles

        inputs = InputFiles(sources)  # looked up once for the whole run, not once per card
        targets = {source: target.with_suffix("") for source, target in targets.items()}
        result = run_batch(
            sources,
            targets,
            render,
            printer.fail,
            progress,
            output,
            write=lambda folder, c: write_cards(folder, c, inputs, output, printer.info),
        )
    else:
        result = run_batch(sources, targets, render, printer.fail, progress, output)
    for same in keys.values():
        if len(same) > 1:
            printer.info(_same_sale_warning(same))
    failed = f"; {len(result.failed)} failed" if result.failed else ""
    printer.info(f"wrote {len(result.written)} {fmt} file{'s' if len(result.written) != 1 else ''} to {output}{failed}")
    return len(result.failed)


def _same_sale_warning(sources: list[str]) -> str:
    """Two calendars whose events have the same UIDs: imported one after the other, the second replaces the first's
    events (a lunch and an evening sale of one brand on one day, neither with an `id:`; or one `id:` given twice)."""
    from .safe_text import one_line

    files = ", ".join(one_line(s) for s in sources)
    return (
        f"flashgroup: warning: {files}: the same sale to a calendar (one `id:`, or one brand and start date without an"
        " `id:`): importing their .ics files, each replaces the events of the one before; give each sale its own `id:`"
    )
