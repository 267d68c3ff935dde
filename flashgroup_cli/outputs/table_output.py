"""The timeline as a rich table, for a terminal: one section per calendar day, the day named on its first row."""

from __future__ import annotations

from typing import Any

from ..document import Document
from .days import groups_line, rows_by_day, script_day_heading, summary_line


def print_timeline_table(doc: Document, console: Any) -> None:
    from rich.table import Table

    c, h, col = doc.campaign, doc.labels.headings, doc.labels.columns
    table = Table(title=h["timeline"].format(name=c.name), caption=summary_line(doc), show_lines=False, expand=False)
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
            table.add_row(heading if i == 0 else "", when, r.offset, r.channel, r.actor, r.title, " ".join(r.event.rules))
    if doc.triggered:
        table.add_section()
        for i, r in enumerate(doc.triggered):
            table.add_row(
                h["triggered_short"] if i == 0 else "", "—", "", r.channel, r.actor, f"{r.title}\n{r.trigger}", " ".join(r.event.rules)
            )
    console.print(table)
    console.print(groups_line(doc))
