"""The timeline as a rich table, for a terminal."""

from __future__ import annotations

from typing import Any

from ..document import Document
from .days import rows_by_day, script_day_heading, summary_line


def print_timeline_table(doc: Document, console: Any) -> None:
    from rich.table import Table

    c, h, col = doc.campaign, doc.labels.headings, doc.labels.columns
    table = Table(title=h["timeline"].format(name=c.name), caption=summary_line(doc), show_lines=False, expand=False)
    for name, style in (("time", "bold"), ("offset", "dim"), ("channel", "cyan"), ("who", ""), ("action", ""), ("rules", "dim")):
        table.add_column(col[name], style=style or None, no_wrap=name in ("time", "offset"))
    for day, rows in rows_by_day(doc):
        table.add_section()
        table.add_row(f"[bold magenta]{script_day_heading(doc, day)}[/]", "", "", "", "", "")
        for r in rows:
            table.add_row(r.local.strftime("%H:%M"), r.offset, r.channel, r.actor, r.title, " ".join(r.event.rules))  # type: ignore[union-attr]
    if doc.triggered:
        table.add_section()
        table.add_row(f"[bold magenta]{h['triggered']}[/]", "", "", "", "", "")
        for r in doc.triggered:
            table.add_row("—", "", r.channel, r.actor, f"{r.title} · {r.trigger}", " ".join(r.event.rules))
    console.print(table)
    console.print(f"{h['groups']}: " + ("、" if c.language == "zh" else ", ").join(doc.schedule.groups))
