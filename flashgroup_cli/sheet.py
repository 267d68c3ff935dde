"""The operator's sheet: materials to prepare, the red-envelope budget, the helper roster and the group names.

Only numbers and assignments are computed here; `templates/sheet.<lang>.j2` words them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .events import Schedule
from .model import Campaign


@dataclass(frozen=True)
class HelperCue:
    at: datetime | None
    cue: str  # thank_envelopes, ask_rules, ask_worry, join_chain, post_screenshot, cheer_tier
    product: Any = None  # a ProductView for product cues
    tier: Any = None


def sheet_context(campaign: Campaign, schedule: Schedule, context: dict[str, Any]) -> dict[str, Any]:
    zone = campaign.zone
    products = context["products"]

    def local(kind: str, product: int | None = None) -> datetime | None:
        for e in schedule.events:
            if e.kind == kind and (product is None or e.product == product) and e.at:
                return e.at.astimezone(zone)
        return None

    # GR-5/GR-9/GR-10: the cues every group needs from its helpers, dealt out in turn so each helper has a few.
    cues = [HelperCue(local("group.red_envelopes"), "thank_envelopes"), HelperCue(local("group.rules"), "ask_rules")]
    for index, product in enumerate(products):
        chain = local("group.chain", index)
        if product.worry_question:
            cues.append(HelperCue(chain, "ask_worry", product))
        cues.append(HelperCue(chain, "join_chain", product))
    cues.append(HelperCue(local("group.order_screenshots"), "post_screenshot"))
    cues += [HelperCue(None, "cheer_tier", tier=tier) for tier in context["tiers"]]
    helpers = max(campaign.group.helpers, 1)
    roster: list[list[HelperCue]] = [[] for _ in range(helpers)]
    for i, cue in enumerate(cues):
        roster[i % helpers].append(cue)
    red = context["red_envelopes"]
    return {
        "groups": context["groups"],
        "group_size": context["group_size"],
        "audience": campaign.audience,
        "helpers_per_group": campaign.group.helpers,
        "helpers_total": campaign.group.helpers * len(context["groups"]),
        "roster": [{"number": i + 1, "cues": cues_of} for i, cues_of in enumerate(roster) if cues_of],
        "red_envelopes": red,
        "tester_envelopes": 10 if campaign.wrapup_action == "tester" else 0,  # END-3 (b): about 10 envelopes
        "products": products,
        "wrapup": campaign.wrapup_action,
        "invite_at": local("group.invite"),
        "start": campaign.start,
        "end": campaign.sale_end,
        "channels": list(campaign.channels),
    }
