"""The timeline as Markdown: a heading per calendar day, one table row per action; triggered cues last."""

from __future__ import annotations

from ..document import Document
from ..safe_text import md_inline
from .days import groups_line, metadata_block, rows_by_day, script_day_heading, summary_line


def _cell(text: str) -> str:
    """User text in a table cell: Markdown-escaped (md_inline escapes `|` too), on one line."""
    return md_inline(text.replace("\n", " "))


def render_timeline_markdown(doc: Document) -> str:
    c, h, col = doc.campaign, doc.labels.headings, doc.labels.columns
    title = h["timeline"].format(name=c.name)
    lines = [*metadata_block(doc, title), f"# {_cell(title)}", "", _cell(summary_line(doc)), "", _cell(groups_line(doc)), ""]
    header = f"| {col['time']} | {col['offset']} | {col['channel']} | {col['who']} | {col['action']} | {col['rules']} |"
    for day, rows in rows_by_day(doc):
        lines += [f"## {script_day_heading(doc, day)}", "", header, "|---|---|---|---|---|---|"]
        for r in rows:
            clock = r.local.strftime("%H:%M") if r.local else ""
            lines.append(f"| {clock} | {r.offset} | {_cell(r.channel)} | {_cell(r.actor)} | {_cell(r.title)} | {' '.join(r.event.rules)} |")
        lines.append("")
    if doc.triggered:
        lines += [f"## {h['triggered']}", "", f"| {col['trigger']} | {col['action']} | {col['rules']} |", "|---|---|---|"]
        lines += [f"| {_cell(r.trigger or '')} | {_cell(r.title)} | {' '.join(r.event.rules)} |" for r in doc.triggered]
        lines.append("")
    return "\n".join(lines)
