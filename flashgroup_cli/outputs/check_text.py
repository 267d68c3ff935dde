"""`flashgroup check` for people: one compiler-style line per finding, then a summary line."""

from __future__ import annotations

from ..findings import Finding
from ..safe_text import one_line

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)

if TYPE_CHECKING:  # plan and timeline print findings with format_finding and need none of check_files (issue 13)
    from ..check_files import CheckReport


def format_finding(finding: Finding) -> str:
    """`FILE:LINE:COL: SEL-5 warning: 4 products; ... — keep the 2–3 that meet most criteria`."""
    label = f"{finding.code} {finding.severity}" if finding.code else finding.severity
    fix = f" — {finding.fix}" if finding.fix else ""
    return one_line(f"{finding.location}: {label}: {finding.message}{fix}")


def summary_line(report: CheckReport) -> str:
    """`3 files checked: 2 errors, 1 warning, 0 info`; a hint to explain a rule when anything was found. In the
    report's language (检查了3个文件：2个错误，1个警告，0个提示)."""
    from ..check_registry import finding_words

    words = finding_words(report.language)["summary"]
    files = len(report.files)
    counts = {"files": files, "errors": report.errors, "warnings": report.warnings, "infos": report.infos}
    plurals = {f"{key}_word": words[key if counts[key] != 1 else key[:-1]] for key in ("files", "errors", "warnings")}
    text = str(words["line"]).format(**counts, **plurals)
    if any(f.code for f in report.findings):
        text += words["hint"]
    return text


def render_check_text(report: CheckReport) -> str:
    lines = [format_finding(f) for f in report.findings]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
