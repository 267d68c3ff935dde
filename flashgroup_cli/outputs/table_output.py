"""The timeline as a rich table, for a terminal: one section per calendar day, the day named on its first row.

The layout follows the terminal's width, and nothing is ever cut: from WIDE columns every field has its own column;
narrower, each day gets its own table titled with the day, the offset goes under the time and the rule IDs under
the action (time, who and action keep their width); below NARROW, two columns: the time, and the action with its
channel, who and rules under it.
"""

from __future__ import annotations

from ..document import Document
from .days import groups_line, rows_by_day, script_day_heading, summary_line

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any

WIDE = 110
NARROW = 64


def print_timeline_table(doc: Document, console: Any) -> None:
    if console.width < WIDE:
        _print_by_day(doc, console, narrow=console.width < NARROW)
        return
    from rich.table import Table

    from ..safe_text import rich_text as t  # every text: rich markup escaped, control characters shown as \x1b

    c, h, col = doc.campaign, doc.labels.headings, doc.labels.columns
    table = Table(title=t(h["timeline"].format(name=c.name)), caption=t(summary_line(doc)), show_lines=False, expand=False)
    columns = (
        ("date", "bold magenta"),
        ("time", "bold"),
        ("offset", "dim"),
        ("channel", "cyan"),
        ("who", None),
        ("action", None),
        ("rules", "dim"),
    )
    for name, style in columns:
        table.add_column(col[name], style=style, no_wrap=name in ("time", "offset", "rules"))
    for day, rows in rows_by_day(doc):
        table.add_section()
        heading = script_day_heading(doc, day).replace(" · ", "\n")
        for i, r in enumerate(rows):
            when = r.local.strftime("%H:%M")  # type: ignore[union-attr]
            table.add_row(t(heading) if i == 0 else "", when, r.offset, t(r.channel), t(r.actor), t(r.title), " ".join(r.event.rules))
    if doc.triggered:
        table.add_section()
        for i, r in enumerate(doc.triggered):
            table.add_row(
                t(h["triggered_short"]) if i == 0 else "",
                "—",
                "",
                t(r.channel),
                t(r.actor),
                t(f"{r.title}\n{r.trigger}"),
                " ".join(r.event.rules),
            )
    console.print(table)
    console.print(t(groups_line(doc)))


def _print_by_day(doc: Document, console: Any, *, narrow: bool) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from ..safe_text import rich_text as t
    from ..safe_text import visible as v

    c, h, col = doc.campaign, doc.labels.headings, doc.labels.columns
    console.print(Text(v(h["timeline"].format(name=c.name)), style="bold"))
    console.print(t(summary_line(doc)))
    console.print(t(groups_line(doc)))
    time_width = max([5, *(len(r.offset or "") for r in doc.rows)])  # one width for every day's table

    def table(title: str) -> Any:
        made = Table(title=t(title), title_justify="left", title_style="bold magenta", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        made.add_column(col["time"], style="bold", no_wrap=True, width=time_width)
        if not narrow:
            made.add_column(col["channel"], style="cyan", min_width=6, overflow="fold")
            made.add_column(col["who"], min_width=6, overflow="fold")
        made.add_column(col["action"], min_width=10, ratio=1, overflow="fold")  # wrapped, never cut with …
        return made

    def add(made: Any, when: str, offset: str, r: Any, extra: str = "") -> None:
        rules = " ".join(r.event.rules)
        timing = Text(when)
        if offset:
            timing.append(f"\n{offset}", style="dim")
        action = Text(v(r.title + (f"\n{extra}" if extra else "")))
        if narrow:
            action.append(v(f"\n{r.channel} · {r.actor}"), style="cyan")
        action.append(f"\n{rules}", style="dim")
        made.add_row(timing, action) if narrow else made.add_row(timing, Text(v(r.channel)), Text(v(r.actor)), action)

    for day, rows in rows_by_day(doc):
        console.print()
        made = table(script_day_heading(doc, day))
        for r in rows:
            add(made, r.local.strftime("%H:%M"), r.offset or "", r)  # type: ignore[union-attr]
        console.print(made)
    if doc.triggered:
        console.print()
        made = table(h["triggered_short"])
        for r in doc.triggered:
            add(made, "—", "", r, r.trigger or "")
        console.print(made)
