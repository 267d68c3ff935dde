"""Who does what, in words: the helpers' cues (helper_roster.py) worded from templates/page/labels.<lang>.yml.

Shared by the run page (html) and the helpers' cards, so a helper reads the same cue in both, and both match the
operator sheet's roster (the same helper_cues assignment, GR-5, GR-6, GR-7, GR-9, GR-10, GR-14).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ..document import Document
from ..helper_roster import helper_cues
from ..resources import templates_dir


@cache
def page_labels(language: str) -> dict[str, Any]:
    import yaml

    path = templates_dir() / "page" / f"labels.{language}.yml"
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data


@dataclass(frozen=True)
class CueWords:
    helper: int  # 1-based, the same number in every group
    event: int  # index into doc.rows
    do: str  # what to do, for the helper
    say: str  # the exact words to say, or "" when the cue is an action (join the chain, post a screenshot)


def cue_words(doc: Document) -> list[CueWords]:
    """Every helper cue of the plan with its words, in time order (triggered cues where the schedule has them)."""
    c = doc.campaign
    words = page_labels(c.language)["cues"]
    out = []
    for cue in helper_cues(c, doc.schedule):
        product = c.products[cue.product] if cue.product is not None else None
        values = {
            "product": product.name if product else "",
            "question": product.worry.question if product and product.worry else "",
            "at": c.tiers[cue.tier].at if cue.tier is not None else "",
        }
        last_tier = cue.tier is not None and cue.tier == len(c.tiers) - 1
        entry = words["cheer_tier_last" if cue.cue == "cheer_tier" and last_tier else cue.cue]  # no "next goal" after the last
        out.append(CueWords(cue.helper, cue.event, entry["do"].format(**values), entry["say"].format(**values)))
    return out


def cues_by_event(doc: Document) -> dict[int, list[CueWords]]:
    by_event: dict[int, list[CueWords]] = {}
    for cue in cue_words(doc):
        by_event.setdefault(cue.event, []).append(cue)
    return by_event


def helper_numbers(doc: Document) -> list[int]:
    return list(range(1, doc.campaign.group.helpers + 1))
