"""`flashgroup check` for people: one compiler-style line per finding, then a summary line."""

from __future__ import annotations

from ..check_files import CheckReport
from ..findings import Finding


def format_finding(finding: Finding) -> str:
    """`FILE:LINE:COL: SEL-5 warning: 4 products; ... — keep the 2–3 that meet most criteria`."""
    label = f"{finding.code} {finding.severity}" if finding.code else finding.severity
    fix = f" — {finding.fix}" if finding.fix else ""
    return f"{finding.location}: {label}: {finding.message}{fix}"


def summary_line(report: CheckReport) -> str:
    """`3 files checked: 2 errors, 1 warning, 0 info`; a hint to explain a rule when anything was found."""
    files = len(report.files)
    text = (
        f"{files} {_plural(files, 'file')} checked: {report.errors} {_plural(report.errors, 'error')}, "
        f"{report.warnings} {_plural(report.warnings, 'warning')}, {report.infos} info"
    )
    if any(f.code for f in report.findings):
        text += " (flashgroup rules CODE explains a rule)"
    return text


def render_check_text(report: CheckReport) -> str:
    lines = [format_finding(f) for f in report.findings]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"
