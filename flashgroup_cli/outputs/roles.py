"""Who does what, from the operator sheet's data (sheet.py: roles and their cues, worded by templates/sheet.<lang>.j2).

Shared by the run page (html) and the cards, so a helper reads the same cue, in the same words, in the sheet, on the
page and on their card (GR-5, GR-6, GR-7, GR-9, GR-10, GR-13, GR-14). The page's own words and the exact words a helper
says (to copy) are in templates/page/labels.<lang>.yml.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from ..document import Document
from ..records import record
from ..resources import templates_dir

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any


@cache
def page_labels(language: str) -> dict[str, Any]:
    import yaml

    path = templates_dir() / "page" / f"labels.{language}.yml"
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data


@record
class Cue:
    """One thing a role does, as the sheet words it, with the event it goes with and the words to say (to copy)."""

    kind: str
    do: str  # the sheet's line for this cue
    say: str  # the exact words a helper says, or "" when the cue is an action
    at: datetime | None  # local time, or None (a trigger, or all along)
    events: tuple[int, ...]  # indexes into doc.rows of the actions it goes with (none: all along)
    rules: tuple[str, ...]


@record
class RoleView:
    key: str  # host, counter, h3 (the page's filter value)
    role: str  # host | counter | helper
    number: int | None
    label: str  # 群主, 统计, 水军3 / Host, Counter, Helper 3
    file: str  # the card's file name without .txt: 群主, 统计, 水军3 / host, counter, helper-3
    people: int
    cues: tuple[Cue, ...]


def roles(doc: Document) -> list[RoleView]:
    """Every role of the sheet, host first, then the counter and the helpers; empty without a sheet (timelines)."""
    sheet = doc.sheet_data
    if sheet is None:
        return []
    c = doc.campaign
    words = page_labels(c.language)
    say_words = words["say"]
    files = words["cards"]["files"]
    by_product: dict[str, list[int]] = {}
    closes = []
    for index, row in enumerate(doc.rows):
        if row.event.kind == "group.stock_update" and row.event.product is not None:
            by_product.setdefault(c.products[row.event.product].name, []).append(index)
        elif row.event.kind == "group.close":
            closes.append(index)
    out = []
    for role in sheet.roles:
        cues = []
        for cue in role.cues:
            if cue.event is not None:
                events: tuple[int, ...] = (cue.event,)
            elif cue.kind == "call_stock" and cue.product is not None:
                events = tuple(by_product.get(cue.product.name, ()))
            elif cue.kind == "call_sold_out_all":
                events = tuple(closes)
            else:
                events = ()
            question = cue.product.worry_question if cue.product is not None and cue.product.worry_question else ""
            say = say_words.get(cue.kind, "").format(question=question)
            cues.append(Cue(cue.kind, cue.text, say, cue.at, events, tuple(cue.rules)))
        key = f"h{role.number}" if role.role == "helper" else role.role
        file = files[role.role].format(n=role.number)
        out.append(RoleView(key, role.role, role.number, role.label, file, role.people, tuple(cues)))
    return out


def roles_by_event(views: list[RoleView]) -> dict[int, list[tuple[RoleView, Cue]]]:
    """The roles (other than the host, who does every action) with a cue at each action, with that cue."""
    by_event: dict[int, list[tuple[RoleView, Cue]]] = {}
    for view in views:
        if view.role == "host":
            continue
        for cue in view.cues:
            for event in cue.events:
                by_event.setdefault(event, []).append((view, cue))
    return by_event
