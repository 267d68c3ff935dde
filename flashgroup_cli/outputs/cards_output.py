"""Cards for the people of the sale: one plain-text file per role (群主.txt, 水军1.txt ... / host.txt, helper-1.txt ...).

WeChat-ready: no Markdown, no leading spaces, one blank line between cues, so the operator forwards each card to its
helper and the helper copies the words to say as they are. The helpers' cues are the operator sheet's roster (the same
helper_cues assignment, GR-5); the host's card is every action with its text.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import groupby

from ..document import Document, Row
from ..formatting import span, when
from .days import script_day_heading
from .roles import Cue, RoleView, page_labels, roles


def _header(doc: Document, role: str) -> list[str]:
    c = doc.campaign
    k = page_labels(c.language)["cards"]
    sep = "、" if c.language == "zh" else ", "
    return [
        k["heading"].format(role=role, name=c.name),
        k["start"].format(start=when(c.start, c.language), duration=span(c.duration, c.language), timezone=c.timezone),
        k["groups"].format(groups=sep.join(doc.schedule.groups)),
    ]


def _when(doc: Document, row: Row) -> str:
    if row.local is None:
        return row.trigger or ""
    return row.local.strftime("%H:%M")


def _flat(text: str) -> list[str]:
    """Lines as WeChat should get them: no leading or trailing spaces."""
    return [line.strip() for line in text.splitlines()]


def host_card(doc: Document, view: RoleView) -> str:
    """The host's card: what they do all along (the sheet's words), then every action with its text to post."""
    c = doc.campaign
    k = page_labels(c.language)["cards"]
    p = doc.labels.plan
    colon = "：" if c.language == "zh" else ": "
    lines = _header(doc, view.label)
    if view.people > 1:
        lines.append(k["same_in_every_group"])
    lines.append("")
    if view.cues:
        lines += [k["duties"], *[line for cue in view.cues for line in _flat(cue.do)], ""]
    lines += [k["host_intro"], ""]

    def block(row: Row) -> list[str]:
        out = [
            f"{_when(doc, row)} {row.channel} · {row.title}（{' '.join(row.event.rules)}）"
            if c.language == "zh"
            else f"{_when(doc, row)} {row.channel} · {row.title} ({' '.join(row.event.rules)})"
        ]
        if row.note:
            out += [f"{p['note']}{colon}{line}" for line in _flat(row.note)]
        out += [k["post"], *_flat(row.text), ""]
        return out

    for day, rows in groupby(doc.timed, key=lambda r: r.local.date()):  # type: ignore[union-attr]
        lines += [f"【{script_day_heading(doc, day)}】", ""]
        for row in rows:
            lines += block(row)
    if doc.triggered:
        lines += [k["trigger_section"], ""]
        for row in doc.triggered:
            lines += block(row)
    return "\n".join(lines).rstrip() + "\n"


def role_card(doc: Document, view: RoleView) -> str:
    """A counter's or a helper's card: their cues at a time, on a trigger, and all along, in the sheet's words."""
    c = doc.campaign
    k = page_labels(c.language)["cards"]
    lines = _header(doc, view.label)
    if view.people > 1:
        lines.append(k["same_in_every_group"])
    lines.append("")
    if view.role == "counter":
        lines += [k["counter_intro"], ""]
    duties = [cue for cue in view.cues if not cue.events]
    timed = [cue for cue in view.cues if cue.events and doc.rows[cue.events[0]].local is not None]
    triggered = [cue for cue in view.cues if cue.events and doc.rows[cue.events[0]].local is None]

    def block(cue: Cue) -> list[str]:
        out = [f"{_when(doc, doc.rows[i])} · {doc.rows[i].title}" for i in cue.events]
        out += _flat(cue.do)
        if cue.say:
            out += [k["say"], *_flat(cue.say)]
        return [*out, ""]

    if duties:
        lines += [k["duties"], ""]
        for cue in duties:
            lines += [*_flat(cue.do), ""]
    if timed:
        lines += [k["helper_intro"] if view.role == "helper" else k["timed"], ""]
        for cue in timed:
            lines += block(cue)
    if triggered:
        lines += [k["trigger_section"], ""]
        for cue in triggered:
            lines += block(cue)
    if not view.cues:
        lines += [k["none"]]
    return "\n".join(lines).rstrip() + "\n"


def render_cards(doc: Document) -> dict[str, str]:
    """File name -> card text, one per role of the operator sheet: the host's first, the counter's, each helper's."""
    cards = {}
    for view in roles(doc):
        cards[f"{view.file}.txt"] = host_card(doc, view) if view.role == "host" else role_card(doc, view)
    return cards


@cache
def card_names() -> re.Pattern[str]:
    """A card's file name in either language (群主.txt, 水军3.txt, host.txt, helper-3.txt ...): what a cards folder may
    hold from an earlier run, which a new run takes away when its role is gone."""
    names = [
        re.escape(name).replace(re.escape("{n}"), "[1-9][0-9]*")
        for language in ("zh", "en")
        for name in page_labels(language)["cards"]["files"].values()
    ]
    return re.compile(f"(?:{'|'.join(names)})\\.txt")
