"""What the schedule engine produces: events with times and rule IDs, and no words."""

from __future__ import annotations

from datetime import datetime

from .records import field, record

# Every kind the engine emits, in the order the method runs them. Titles and copy are looked up by kind.
KINDS = (
    "moments.survey",
    "moments.results",
    "moments.polishing",
    "moments.teaser",
    "channels.announcement",
    "moments.launch",
    "moments.self_comment",
    "group.invite",
    "group.announcement",
    "group.red_envelopes",
    "group.rules",
    "group.product_intro",
    "group.chain",
    "group.order_screenshots",
    "group.screenshot_nudge",
    "group.faq",
    "group.buyer_photos",
    "group.recap",
    "group.stock_update",
    "group.tier_reached",
    "group.countdown",
    "group.close",
    "group.wrapup",
    "group.dissolve",
    "moments.battle_report",
    "moments.progress",
    "moments.reviews",
)


@record
class Trigger:
    """A cue that fires on sales, not on the clock (GR-13, GR-14)."""

    kind: str  # "stock_left", "sold_out" or "orders_reached"
    amount: int
    product: int | None = None  # index into campaign.products


@record
class Event:
    kind: str
    at: datetime | None  # an instant (aware, UTC) or None for a trigger cue
    rules: tuple[str, ...]
    step: int = 1  # 1-based number among the events of its kind (launch 1 of 3, announcement 2 of 4)
    of: int = 1  # how many events of its kind
    product: int | None = None
    trigger: Trigger | None = None
    channel_name: str | None = None  # for channels.announcement: which owned channel (WU-10)
    day: int | None = None  # 1-based day of the warm-up script, for Moments posts before the sale
    details: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def channel(self) -> str:
        if self.channel_name:
            return self.channel_name
        if self.kind == "group.invite":
            return "private"  # GR-1: a 1:1 private message, never posted in the group
        return self.kind.partition(".")[0]


@record
class Schedule:
    variant: str  # "standard" or "compressed"
    events: tuple[Event, ...]
    groups: tuple[str, ...]

    def of_kind(self, kind: str) -> list[Event]:
        return [e for e in self.events if e.kind == kind]
