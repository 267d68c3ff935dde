"""`flashgroup check` over files and folders: find the campaign files, load and lint each, keep going after a bad one.

A file that cannot be loaded is reported with its load problems (errors, with the rule code when a rule made the
file unusable) and the next file is still checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from .campaign_paths import campaign_files  # noqa: F401 - re-exported for the check command
from .findings import ERROR, INFO, WARNING, Finding, count, from_problem
from .records import record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)

if TYPE_CHECKING:
    from typing import Any

    from .model import Campaign
    from .workers import Workers


@record
class FileReport:
    file: str  # as shown in findings: the path given, or the folder given joined with the path inside it
    loaded: bool
    findings: tuple[Finding, ...]
    language: str | None = None  # what its findings speak; None when it could not be loaded


@record
class CheckReport:
    files: tuple[FileReport, ...]
    chosen_language: str | None = None  # --lang

    @property
    def language(self) -> str:
        """The summary's language: the one chosen, else the campaigns' when they all speak one, else English."""
        spoken = {report.language for report in self.files if report.language}
        return self.chosen_language or (spoken.pop() if len(spoken) == 1 else "en")

    @property
    def findings(self) -> list[Finding]:
        return [f for report in self.files for f in report.findings]

    @property
    def errors(self) -> int:
        return count(self.findings, ERROR)

    @property
    def warnings(self) -> int:
        return count(self.findings, WARNING)

    @property
    def infos(self) -> int:
        return count(self.findings, INFO)


CHECK_CHUNK = 16  # files per message to a worker: checking one takes about a millisecond, a message about as long


def check_files(
    files: Iterable[str],
    now: datetime | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    compressed: bool | None = None,
    language: str | None = None,
    templates: Path | None = None,
    workers: Workers | None = None,
) -> CheckReport:
    """Load and lint every file (see checks.lint for now/select/ignore/compressed/language); codes are validated by the
    caller. Findings speak `language`, or each campaign's own. With `templates` (a folder like plan --templates), the
    copy is rendered too and its words checked (AD-1 to AD-4 at the template's line). With `workers` (workers.py) the
    files are checked by worker processes, the report the same and in the same order."""
    files = list(files)
    args = (now, None if select is None else tuple(select), tuple(ignore or ()), compressed, language, templates)
    if workers is not None:
        ahead = workers.in_order(_check_in_worker, files, *args, chunk=CHECK_CHUNK)
        reports = [ahead(shown, _no_warnings) for shown in files]
    else:
        reports = [check_file(shown, *args) for shown in files]
    return CheckReport(tuple(reports), language)


def check_file(
    shown: str,
    now: datetime | None,
    select: tuple[str, ...] | None,
    ignore: tuple[str, ...],
    compressed: bool | None,
    language: str | None,
    templates: Path | None,
) -> FileReport:
    """One file's report (see check_files)."""
    from .campaign_file import load_campaign
    from .checks import lint
    from .errors import CampaignError

    try:
        campaign = load_campaign(shown, display=shown)
    except CampaignError as exc:
        return FileReport(shown, False, tuple(from_problem(p) for p in exc.problems))
    try:
        findings = lint(campaign, now=now, select=select, ignore=ignore, compressed=compressed, language=language)
    except CampaignError as exc:  # the schedule cannot be built in order (times, issue 9 item 7): this file only
        return FileReport(shown, False, tuple(from_problem(p) for p in exc.problems))
    if templates is not None:
        findings = sorted(findings + _copy_findings(campaign, templates, select, ignore, compressed, language), key=lambda f: f.sort_key)
    return FileReport(shown, True, tuple(findings), language or campaign.language)


def _check_in_worker(shown: str, *args: Any) -> FileReport:
    *options, _warn = args  # check prints nothing while it works: no warnings to pass on
    return check_file(shown, *options)


def _no_warnings(_: object) -> None:
    raise AssertionError("check_file gives no warnings")


def _copy_findings(
    campaign: Campaign, templates: Path, select: Iterable[str] | None, ignore: Iterable[str], compressed: bool | None, language: str | None
) -> list[Finding]:
    """The AD findings of the copy the templates write for this campaign; a template that cannot render is an error."""
    from .checks import active_codes
    from .compliance import copy_findings
    from .errors import Location, UserError
    from .pipeline import campaign_document
    from .render import template_name

    try:
        document = campaign_document(campaign, compressed=bool(compressed), plan=True, templates=templates)
    except UserError as exc:  # the template error's own place when it says one (FILE:LINE:COL: error: ...)
        import re

        said = re.match(r"^(.+?):(\d+):(\d+): error: (.*)$", str(exc), re.S)
        where = Location(said[1], int(said[2]), int(said[3])) if said else Location(str(templates), 1, 1)
        return [Finding(None, ERROR, where, "", said[4] if said else str(exc))]
    texts = [(template_name(row.event.kind, campaign.language), row.text) for row in document.rows]
    return copy_findings(campaign, texts, templates, active_codes(campaign, select, ignore), language)


NOW_YEARS = (1900, 2200)  # the years a campaign may be in (campaign_file.YEARS)


def parse_now(text: str | None) -> datetime:
    """--now: ISO 8601. With an offset or Z, an instant; without, a wall time in each campaign's own zone (returned
    naive). A date alone means its midnight. None: the real now (the only clock read, and only in the CLI)."""
    from .errors import UsageError
    from .safe_text import quoted

    if text is None:
        return datetime.now(timezone.utc)
    raw = text.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"  # Python 3.10's fromisoformat does not read Z
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise UsageError(
            f"--now must be an ISO 8601 date and time like 2026-12-10T09:00 or 2026-12-10T09:00+08:00 (got {quoted(text)})"
        ) from None
    low, high = NOW_YEARS
    if not low <= moment.year <= high:
        raise UsageError(f"--now must be a moment in the years {low} to {high} (got {quoted(text)})")
    return moment
