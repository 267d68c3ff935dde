"""Who among the helpers (水军) does what (GR-5, GR-9, GR-10): the cues every group needs, dealt out in turn.

Pure and cheap: the operator's sheet lists each helper's cues, and the run-sheet's "who" column names the helpers of
each action (群主+水军3、4), from this one assignment.
"""

from __future__ import annotations

from .events import Schedule
from .model import Campaign
from .records import record


@record
class HelperCue:
    helper: int  # 1-based number within each group
    event: int  # index into schedule.events: the action the cue goes with
    cue: str  # thank_envelopes, ask_rules, ask_worry, join_chain, post_screenshot, cheer_tier
    product: int | None = None
    tier: int | None = None


CUE_RULES: dict[str, tuple[str, ...]] = {  # the rule each helper cue serves (the sheet and the JSON carry them)
    "thank_envelopes": ("GR-6",),
    "ask_rules": ("GR-7",),
    "ask_worry": ("GR-9",),
    "join_chain": ("GR-9",),
    "post_screenshot": ("GR-10",),
    "cheer_tier": ("GR-14",),
}


def helper_cues(campaign: Campaign, schedule: Schedule) -> list[HelperCue]:
    """Every helper cue in time order, helpers 1..n taking them in turn; none when the file has no helpers."""
    wanted: list[tuple[int, str, int | None, int | None]] = []
    for index, event in enumerate(schedule.events):
        if event.kind == "group.red_envelopes":
            wanted.append((index, "thank_envelopes", None, None))  # GR-6: someone grabs first and says thanks
        elif event.kind == "group.rules":
            wanted.append((index, "ask_rules", None, None))  # GR-7: the question that lets the host explain again
        elif event.kind == "group.chain" and event.product is not None:
            if campaign.products[event.product].worry:
                wanted.append((index, "ask_worry", event.product, None))  # GR-9: the typical worry, asked out loud
            wanted.append((index, "join_chain", event.product, None))  # GR-9: the first names on the chain
        elif event.kind == "group.order_screenshots":
            wanted.append((index, "post_screenshot", None, None))  # GR-10
        elif event.kind == "group.tier_reached":
            wanted.append((index, "cheer_tier", None, int(event.details["tier"])))  # type: ignore[call-overload]
    helpers = campaign.group.helpers
    if helpers < 1:
        return []
    return [HelperCue(i % helpers + 1, index, cue, product, tier) for i, (index, cue, product, tier) in enumerate(wanted)]


def helpers_by_event(cues: list[HelperCue]) -> dict[int, list[int]]:
    """The helpers of each action, by event index, in number order."""
    by_event: dict[int, list[int]] = {}
    for cue in cues:
        numbers = by_event.setdefault(cue.event, [])
        if cue.helper not in numbers:
            numbers.append(cue.helper)
    return {event: sorted(numbers) for event, numbers in by_event.items()}
