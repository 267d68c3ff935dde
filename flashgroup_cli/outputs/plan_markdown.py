"""The plan as Markdown: the operator's sheet, then a heading per phase and per day, each text in its own block.

Copy goes in fenced `text` blocks so it keeps its line breaks and is easy to copy; operator notes go in a quote above.
"""

from __future__ import annotations

from itertools import groupby

from ..document import Document, Row
from ..safe_text import md_inline, md_note
from .days import channel_and_title, colon, groups_line, metadata_block, script_day_heading, summary_line

WARMUP_KINDS = {"moments.survey", "moments.results", "moments.polishing", "moments.teaser", "channels.announcement"}
WRAPUP_KINDS = {"group.wrapup", "group.dissolve", "moments.battle_report", "moments.progress", "moments.reviews"}


def phase_of(row: Row) -> str:
    if row.event.kind in WARMUP_KINDS:
        return "warmup"
    if row.event.kind in WRAPUP_KINDS:
        return "wrapup"
    return "sale"


def _one(text: str) -> str:
    """User text (names, titles) in a heading or a line: on one line and read literally (safe_text.md_inline)."""
    return md_inline(" ".join(text.splitlines()))


def _fence(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}text\n{text}\n{fence}"


def _block(doc: Document, row: Row, heading: str) -> list[str]:
    lines = [f"#### {heading}", ""]
    if row.note:
        label = doc.labels.plan["note"]
        lines += [f"> **{label}**{colon(doc)}{md_note(line)}" for line in row.note.splitlines()]
        lines.append("")
    lines += [_fence(row.text), ""]
    return lines


def _sheet(markdown: str) -> str:
    """The operator's sheet is the template's own Markdown with campaign values in it: a `<` never opens raw HTML
    (a product named `<img src=x onerror=...>` would otherwise reach pandoc's HTML). The template writes no HTML."""
    return markdown.replace("<", "\\<")


def render_plan_markdown(doc: Document) -> str:
    c, h, p = doc.campaign, doc.labels.headings, doc.labels.plan
    title = h["plan"].format(name=c.name)
    lines = [*metadata_block(doc, title), f"# {_one(title)}", "", _one(summary_line(doc)), "", _one(groups_line(doc)), ""]
    lines += [f"## {p['sheet']}", "", _sheet(doc.sheet), ""]
    for phase, rows in groupby(doc.timed, key=phase_of):
        lines += [f"## {p[phase]}", ""]
        for day, day_rows in groupby(rows, key=lambda r: r.local.date()):  # type: ignore[union-attr]
            lines += [f"### {script_day_heading(doc, day)}", ""]
            for row in day_rows:
                heading = f"{row.local.strftime('%H:%M')} · {_one(channel_and_title(row, ' · '))} · `{' '.join(row.event.rules)}`"  # type: ignore[union-attr]
                lines += _block(doc, row, heading)
        if phase == "sale" and doc.triggered:
            lines += [f"### {p['triggered']}", ""]
            for row in doc.triggered:
                lines += _block(
                    doc, row, f"{p['trigger']}{colon(doc)}{_one(row.trigger or '')} · {_one(row.title)} · `{' '.join(row.event.rules)}`"
                )
    return "\n".join(lines).rstrip() + "\n"
