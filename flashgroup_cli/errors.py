"""Errors are values with locations: the library raises, only the CLI prints (see STYLE.md)."""

from __future__ import annotations

from .records import record


@record(order=True)
class Location:
    """Where a value sits in a campaign file (1-based line and column, as editors show them)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        from .safe_text import one_line

        return f"{one_line(self.file)}:{self.line}:{self.column}"


@record
class Problem:
    """One thing wrong with a campaign file, at one place."""

    location: Location
    path: str
    message: str
    code: str | None = None  # the method's rule ID when a rule makes the file unusable (SEL-5: more than 5 products)

    def __str__(self) -> str:
        """One line whatever the user wrote: newlines and control characters in a key or value are escaped, so a
        value can never forge another `FILE:LINE:COL: error:` line."""
        from .safe_text import one_line

        where = f"{self.path}: " if self.path else ""
        return one_line(f"{self.location}: error: {where}{self.message}")


class FlashgroupError(Exception):
    """Base of every error the tool raises on purpose."""


class UserError(FlashgroupError):
    """An error the user is meant to read. A `located` one is already in `FILE:LINE:COL: ...` lines, printed as
    they are; any other is printed after `flashgroup: error:`."""

    located = False


class UsageError(UserError):
    """Wrong command-line use (exit 2), e.g. an output path that cannot be written."""


class OutputError(UserError):
    """An output that could not be written once the command was right: a full disk, a closed standard output, a
    file the system refuses (exit 1, one line, never an internal error)."""


class RunStopped(FlashgroupError):
    """The run cannot go on, through no fault of any one campaign (a worker process killed from outside): not a
    UserError, so a folder run does not go on to report every campaign after it as failed; printed as one line after
    `flashgroup: error:`, exit 1. What was written before stays."""


class CampaignError(UserError):
    """A campaign file that cannot be used; carries every problem found, not only the first (exit 1)."""

    located = True

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.location, p.path))
        super().__init__("\n".join(str(p) for p in self.problems))
