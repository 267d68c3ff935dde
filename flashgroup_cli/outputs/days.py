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
