"""Cards for the people of the sale: one plain-text file per role (群主.txt, 水军1.txt ... / host.txt, helper-1.txt ...).

WeChat-ready: no Markdown, no leading spaces, one blank line between cues, so the operator forwards each card to its
helper and the helper copies the words to say as they are. The helpers' cues are the operator sheet's roster (the same
helper_cues assignment, GR-5); the host's card is every action with its text.
"""

from __future__ import annotations

from itertools import groupby

from ..document import Document, Row
from ..formatting import span, when
from .days import script_day_heading
from .roles import CueWords, cue_words, helper_numbers, page_labels


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


def host_card(doc: Document) -> str:
    c = doc.campaign
    k = page_labels(c.language)["cards"]
    p = doc.labels.plan
    colon = "：" if c.language == "zh" else ": "
    lines = _header(doc, k["host"]) + [k["host_intro"], ""]

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


def helper_card(doc: Document, number: int, cues: list[CueWords]) -> str:
    c = doc.campaign
    k = page_labels(c.language)["cards"]
    lines = _header(doc, k["helper"].format(n=number)) + [k["same_in_every_group"], "", k["helper_intro"], ""]
    mine = [cue for cue in cues if cue.helper == number]
    timed = [cue for cue in mine if doc.rows[cue.event].local is not None]
    triggered = [cue for cue in mine if doc.rows[cue.event].local is None]

    def block(cue: CueWords) -> list[str]:
        row = doc.rows[cue.event]
        out = [f"{_when(doc, row)} · {row.title}", cue.do]
        if cue.say:
            out += [k["say"], *_flat(cue.say)]
        return [*out, ""]

    for cue in timed:
        lines += block(cue)
    if triggered:
        lines += [k["trigger_section"], ""]
        for cue in triggered:
            lines += block(cue)
    if not mine:
        lines += [k["none"]]
    return "\n".join(lines).rstrip() + "\n"


def render_cards(doc: Document) -> dict[str, str]:
    """File name -> card text, the host's first, then each helper's in number order."""
    k = page_labels(doc.campaign.language)["cards"]
    cues = cue_words(doc)
    cards = {f"{k['host_file']}.txt": host_card(doc)}
    for number in helper_numbers(doc):
        cards[f"{k['helper_file'].format(n=number)}.txt"] = helper_card(doc, number, cues)
    return cards
