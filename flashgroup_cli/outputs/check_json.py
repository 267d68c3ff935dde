"""`flashgroup check --format json` for tools: the contract is in docs/checks.md (schema "flashgroup-check/1")."""

from __future__ import annotations

import json

from ..check_files import CheckReport
from ..findings import ERROR, INFO, WARNING, Finding, count

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any

SCHEMA = "flashgroup-check/1"


def finding_json(finding: Finding) -> dict[str, Any]:
    where = finding.location
    return {
        "file": where.file,
        "line": where.line,
        "column": where.column,
        "code": finding.code,
        "severity": finding.severity,
        "path": finding.path,
        "message": finding.message,
        "fix": finding.fix,
    }


def render_check_json(report: CheckReport) -> str:
    data = {
        "schema": SCHEMA,
        "summary": {"files": len(report.files), "errors": report.errors, "warnings": report.warnings, "info": report.infos},
        "files": [
            {
                "file": f.file,
                "loaded": f.loaded,
                "errors": count(list(f.findings), ERROR),
                "warnings": count(list(f.findings), WARNING),
                "info": count(list(f.findings), INFO),
            }
            for f in report.files
        ],
        "findings": [finding_json(f) for f in report.findings],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
