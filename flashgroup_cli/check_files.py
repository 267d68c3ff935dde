"""`flashgroup check` over files and folders: find the campaign files, load and lint each, keep going after a bad one.

A file that cannot be loaded is reported with its load problems (errors, with the rule code when a rule made the
file unusable) and the next file is still checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from .campaign_paths import campaign_files  # noqa: F401 - re-exported for the check command
from .findings import ERROR, INFO, WARNING, Finding, count, from_problem


@dataclass(frozen=True)
class FileReport:
    file: str  # as shown in findings: the path given, or the folder given joined with the path inside it
    loaded: bool
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class CheckReport:
    files: tuple[FileReport, ...]

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


def check_files(
    files: Iterable[str],
    now: datetime | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    compressed: bool | None = None,
) -> CheckReport:
    """Load and lint every file (see checks.lint for now/select/ignore/compressed); codes are validated by the caller."""
    from .campaign_file import load_campaign
    from .checks import lint
    from .errors import CampaignError

    select = None if select is None else tuple(select)
    ignore = tuple(ignore or ())
    reports = []
    for shown in files:
        try:
            campaign = load_campaign(shown, display=shown)
        except CampaignError as exc:
            reports.append(FileReport(shown, False, tuple(from_problem(p) for p in exc.problems)))
            continue
        findings = lint(campaign, now=now, select=select, ignore=ignore, compressed=compressed)
        reports.append(FileReport(shown, True, tuple(findings)))
    return CheckReport(tuple(reports))


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
