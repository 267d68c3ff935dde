"""What `flashgroup check` reports: a finding is a rule code, a severity, a place in the file, a message and a fix.

Findings are values; only the CLI prints them (outputs/check_text.py, outputs/check_json.py).
"""

from __future__ import annotations

from .errors import Location, Problem
from .records import record

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)  # most serious first


@record
class Finding:
    """One thing the method's rules say about a campaign file, at one YAML node.

    `code` is the rule ID the finding comes from (SEL-5, GR-14, TIME-1 ...); it is None only for a load problem
    that no rule names (a YAML syntax error, an unknown key).
    """

    code: str | None
    severity: str  # one of SEVERITIES
    location: Location
    path: str  # the YAML path of the node concerned, e.g. "products[0].stock"; "" for the whole file
    message: str
    fix: str = ""

    @property
    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.location.line, self.location.column, self.code or "", self.message)


def from_problem(problem: Problem) -> Finding:
    """A load problem as a finding: always an error (the file cannot be used), with the rule code when it has one."""
    message = f"{problem.path}: {problem.message}" if problem.path else problem.message
    return Finding(problem.code, ERROR, problem.location, problem.path, message)


def count(findings: list[Finding], severity: str) -> int:
    return sum(1 for f in findings if f.severity == severity)
