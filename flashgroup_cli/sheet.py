"""The operator's sheet: materials to prepare, the red-envelope budget, the helper roster and the group names.

Only numbers and assignments are computed here; `templates/sheet.<lang>.j2` words them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .events import Schedule
from .helper_roster import helper_cues
from .model import Campaign


def sheet_context(campaign: Campaign, schedule: Schedule, context: dict[str, Any]) -> dict[str, Any]:
    zone = campaign.zone
    products = context["products"]

    def local(kind: str) -> datetime | None:
        for e in schedule.events:
            if e.kind == kind and e.at:
                return e.at.astimezone(zone)
        return None

    roster: dict[int, list[dict[str, Any]]] = {}
    for cue in helper_cues(campaign, schedule):
        at = schedule.events[cue.event].at
        roster.setdefault(cue.helper, []).append(
            {
                "at": at.astimezone(zone) if at else None,
                "cue": cue.cue,
                "product": products[cue.product] if cue.product is not None else None,
                "tier": context["tiers"][cue.tier] if cue.tier is not None else None,
            }
        )
    red = context["red_envelopes"]
    return {
        "groups": context["groups"],
        "group_size": context["group_size"],
        "audience": campaign.audience,
        "helpers_per_group": campaign.group.helpers,
        "helpers_total": campaign.group.helpers * len(context["groups"]),
        "roster": [{"number": number, "cues": roster[number]} for number in sorted(roster)],
        "red_envelopes": red,
        "tester_envelopes": 10 if campaign.wrapup_action == "tester" else 0,  # END-3 (b): about 10 envelopes
        "products": products,
        "wrapup": campaign.wrapup_action,
        "invite_at": local("group.invite"),
        "start": campaign.start,
        "end": campaign.sale_end,
        "channels": list(campaign.channels),
    }
