"""Turn a Document into the chosen format: the same choices for `plan` and `timeline` (docs in README, one table).

`plan` documents carry the copy; `timeline` documents don't. Each format lives in its own module under outputs/;
this only picks one and says what a file of it is called.
"""

from __future__ import annotations

from datetime import timedelta

from .document import Document

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any

# `-o x.txt` is the plain text; the table (for a terminal) goes to `<name>.table.txt` when written to a folder.
EXTENSIONS = {"text": "txt", "table": "table.txt", "md": "md", "json": "json", "csv": "csv", "ics": "ics", "html": "html", "cards": "cards"}
PLAN_ONLY = ("html", "cards")  # the run page and the cards are made of the copy: `flashgroup plan` only


def render_text(doc: Document, fmt: str, *, plan: bool, remind: timedelta = timedelta(minutes=10), width: int = 120) -> str:
    """The whole output as text (what goes to a file or a pipe)."""
    if fmt == "html":
        from .outputs.html_output import render_html

        return render_html(doc)
    if fmt == "cards":
        from .errors import UsageError

        raise UsageError("--format cards writes one file per role: give -o FOLDER (flashgroup plan c.yml --format cards -o cards/)")
    if fmt == "json":
        from .outputs.json_output import render_json

        return render_json(doc)
    if fmt == "csv":
        from .outputs.csv_output import render_csv

        return render_csv(doc)
    if fmt == "ics":
        from .outputs.ics_output import render_ics

        return render_ics(doc, remind=remind)
    if fmt == "text":
        from .outputs.text_output import render_plan_text, render_timeline_text

        return render_plan_text(doc) if plan else render_timeline_text(doc)
    if fmt == "table":
        from io import StringIO

        from rich.console import Console

        buffer = StringIO()
        show_table(doc, Console(file=buffer, width=width, color_system=None, force_terminal=False))
        return buffer.getvalue()
    if plan:
        from .outputs.plan_markdown import render_plan_markdown

        return render_plan_markdown(doc)
    from .outputs.markdown_output import render_timeline_markdown

    return render_timeline_markdown(doc)


def show_table(doc: Document, console: Any) -> None:
    from .outputs.table_output import print_timeline_table

    print_timeline_table(doc, console)


def terminal_text(doc: Document, *, plan: bool, fmt: str | None, width: int, color: bool) -> str:
    """What a terminal shows (also `-f table`/`-f text` with colour forced into a pipe): a plan as the plain text, the
    timeline as the table laid out for `width`. Colour only ever touches headings and labels, never the texts, so a
    text copied from the terminal is the text to post."""
    if fmt == "text" or (plan and fmt is None):
        from .outputs.text_output import render_plan_text, render_timeline_text

        style = _ansi if color else _visible
        return render_plan_text(doc, style) if plan else render_timeline_text(doc, style)
    from io import StringIO

    from rich.console import Console

    buffer = StringIO()
    console = Console(
        file=buffer, width=width, force_terminal=color, color_system="standard" if color else None, no_color=not color, highlight=False
    )
    show_table(doc, console)
    return buffer.getvalue()


_ANSI = {"title": "1", "phase": "1;35", "day": "1;35", "action": "1;36", "note": "33", "dim": "2"}


def _ansi(role: str, line: str) -> str:
    from .safe_text import visible

    line = visible(line)  # control characters (from a user template) never reach the terminal raw
    code = _ANSI.get(role)
    return f"\x1b[{code}m{line}\x1b[0m" if code and line else line


def _visible(role: str, line: str) -> str:
    from .safe_text import visible

    return visible(line)
