"""Grouping rows by calendar day in the campaign's zone, with the day's name in the script (shared by md and table)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import groupby

from ..document import Document, Row
from ..formatting import day_label, span, when


def script_day_heading(doc: Document, day: date) -> str:
    c, h = doc.campaign, doc.labels.headings
    sale_day = c.start.date()
    first = sale_day - timedelta(days=2 if doc.schedule.variant == "compressed" else 4)
    label = day_label(c.start.replace(year=day.year, month=day.month, day=day.day), c.language)
    if day > sale_day:
        return f"{label} · {h['after'].format(n=(day - sale_day).days)}"
    return f"{label} · {h['day'].format(n=(day - first).days + 1)}"


def rows_by_day(doc: Document) -> list[tuple[date, list[Row]]]:
    timed = doc.timed
    return [(day, list(rows)) for day, rows in groupby(timed, key=lambda r: r.local.date())]  # type: ignore[union-attr]


def summary_line(doc: Document) -> str:
    c, h = doc.campaign, doc.labels.headings
    return h["summary"].format(
        brand=c.brand,
        variant=h[doc.schedule.variant],
        start=when(c.start, c.language),
        duration=span(c.duration, c.language),
        timezone=c.timezone,
    )


def colon(doc: Document) -> str:
    """One colon style per language, everywhere: zh `群名：`, en `Groups: `."""
    return "：" if doc.campaign.language == "zh" else ": "


def list_separator(doc: Document) -> str:
    return "、" if doc.campaign.language == "zh" else ", "


def groups_line(doc: Document) -> str:
    return f"{doc.labels.headings['groups']}{colon(doc)}{list_separator(doc).join(doc.schedule.groups)}"


def channel_and_title(row: Row, separator: str) -> str:
    """`朋友圈 · 权益调查`, but a title that already opens with its channel (公众号·同步预告) is not prefixed again."""
    rest = row.title.removeprefix(row.channel)
    if rest != row.title and rest[:1] in ("·", ":", " "):
        return row.title
    return f"{row.channel}{separator}{row.title}"


PANDOC_LANG = {"zh": "zh-CN", "en": "en"}


def metadata_block(doc: Document, title: str) -> list[str]:
    """The YAML metadata block pandoc (and GitHub, Obsidian, Typora...) read: the document's title and language, so
    `pandoc -s plan.md -o plan.html` / `-o plan.docx` come out titled and tagged zh-CN or en. JSON strings are valid
    YAML double-quoted scalars, so any campaign name is safe here."""
    import json

    return ["---", f"title: {json.dumps(title, ensure_ascii=False)}", f"lang: {PANDOC_LANG[doc.campaign.language]}", "---", ""]
