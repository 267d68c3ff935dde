"""The plan (or the timeline) as plain text, ready for WeChat: no Markdown, no indents, no hard wraps.

Headings and times are plain lines; every text is exactly the JSON `text`, line for line, so selecting it (in a
file, a chat or the terminal) copies what is to be posted. A plan reads:

    社区生鲜周末快闪 · 快闪群执行方案            title, summary, groups
    【二、开售当天】                            a phase
    12月19日（周六） · 第5天                    a day
    ▶ 19:20 群内 · 红包雨 · GR-6                an action: time, channel and title, rules
    运营备注：...                               the operator's note, if any
    (blank line)
    the text, exactly                          then a blank line

On a terminal the heading lines may be coloured (`style`), never the texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import groupby

from ..document import Document, Row
from .days import channel_and_title, colon, groups_line, rows_by_day, script_day_heading, summary_line
from .plan_markdown import phase_of

Style = Callable[[str, str], str]  # (role, line) -> the line as shown: roles title, phase, day, action, note, dim


def plain(role: str, line: str) -> str:
    return line


def render_plan_text(doc: Document, style: Style = plain) -> str:
    c, h, p = doc.campaign, doc.labels.headings, doc.labels.plan
    lines = [style("title", h["plan"].format(name=c.name)), summary_line(doc), groups_line(doc), ""]
    lines += [style("phase", _phase(doc, p["sheet"])), "", *sheet_text(doc.sheet), ""]
    for phase, rows in groupby(doc.timed, key=phase_of):
        lines += [style("phase", _phase(doc, p[phase])), ""]
        for day, day_rows in groupby(rows, key=lambda r: r.local.date()):  # type: ignore[union-attr]
            lines += [style("day", script_day_heading(doc, day)), ""]
            for row in day_rows:
                lines += _block(doc, row, f"▶ {row.local.strftime('%H:%M')} {channel_and_title(row, ' · ')}", style)  # type: ignore[union-attr]
        if phase == "sale" and doc.triggered:
            lines += [style("day", p["triggered"]), ""]
            for row in doc.triggered:
                lines += _block(doc, row, f"▶ {p['trigger']}{colon(doc)}{row.trigger} · {row.title}", style)
    return "\n".join(lines).rstrip() + "\n"


def render_timeline_text(doc: Document, style: Style = plain) -> str:
    """The schedule in the same style: a line per action, `19:20 (T−10m) 群内 · 红包雨 · 群主+水军1 · GR-6`."""
    c, h = doc.campaign, doc.labels.headings
    lines = [style("title", h["timeline"].format(name=c.name)), summary_line(doc), groups_line(doc), ""]
    for day, rows in rows_by_day(doc):
        lines += [style("day", script_day_heading(doc, day))]
        for row in rows:
            when = f"{row.local.strftime('%H:%M')} ({row.offset})"  # type: ignore[union-attr]
            lines.append(
                f"{style('action', when)} {channel_and_title(row, ' · ')} · {row.actor} · {style('dim', ' '.join(row.event.rules))}"
            )
        lines.append("")
    if doc.triggered:
        lines.append(style("day", h["triggered"]))
        for row in doc.triggered:
            lines.append(
                f"{style('action', row.trigger or '')} · {channel_and_title(row, ' · ')} · {row.actor} · "
                f"{style('dim', ' '.join(row.event.rules))}"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _phase(doc: Document, name: str) -> str:
    return f"【{name}】" if doc.campaign.language == "zh" else f"== {name} =="


def _block(doc: Document, row: Row, heading: str, style: Style) -> list[str]:
    lines = [style("action", f"{heading} · {' '.join(row.event.rules)}")]
    lines += [style("note", f"{doc.labels.plan['note']}{colon(doc)}{inline_plain(line)}") for line in row.note.splitlines()]
    return [*lines, "", row.text, ""]


_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_EMPHASIS = re.compile(r"(\*\*|__|`)(.+?)\1")


def sheet_text(markdown: str) -> list[str]:
    """The operator's sheet (Markdown from its template) as plain lines: headings as lines, list items as `• `
    (nested `◦ `), table rows as cells joined with ` | ` (the separator row dropped), no emphasis or code marks."""
    out = []
    for raw in markdown.splitlines():
        line = raw.strip()
        if re.fullmatch(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?", line):
            continue  # a table's separator row
        if line.startswith("#"):
            line = line.lstrip("#").strip()
        elif line.startswith("|") and line.endswith("|"):
            line = " | ".join(cell.strip() for cell in re.split(r"(?<!\\)\|", line[1:-1]))
        elif re.match(r"[-*+] ", line):
            line = ("◦ " if raw[:1] == " " else "• ") + line[2:]
        elif line.startswith("> "):
            line = line[2:]
        out.append(inline_plain(line))
    return out


def inline_plain(line: str) -> str:
    """A line without Markdown's inline marks: **bold**, `code`, backslash escapes."""
    return _ESCAPED.sub(r"\1", _EMPHASIS.sub(r"\2", line))
