"""The campaign as the rest of the tool sees it: typed, validated, and located (see campaign_file.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from .yaml_source import SourceMap

CRITERIA = ("low_price", "high_value", "proven_demand", "broad_appeal", "strong_link")  # SEL-2
WRAPUP_ACTIONS = ("questionnaire", "tester", "member_card", "sorting", "none")  # END-3
CHANNELS = ("official_account", "member_group", "video_channel")  # WU-10
LANGUAGES = ("zh", "en")
CATEGORIES = ("fresh", "bakery", "beauty", "tea", "household", "other")  # what the seller sells: picks the WU-5 stories
VOICES = {"zh": "家人们", "en": "everyone"}  # how the host addresses customers unless the file says (`voice`)


@dataclass(frozen=True)
class Worry:
    """The typical doubt a helper voices in the chain, and the host's answer (GR-9)."""

    question: str
    answer: str


@dataclass(frozen=True)
class Product:
    name: str
    price: Decimal
    stock: int
    market_price: Decimal | None = None
    platform_prices: tuple[tuple[str, Decimal], ...] = ()
    criteria: tuple[str, ...] = ()
    selling_points: tuple[str, ...] = ()
    reviews: tuple[str, ...] = ()
    worry: Worry | None = None
    linked_offer: str | None = None
    clearance: bool = False
    unit: str | None = None

    @property
    def reference_prices(self) -> tuple[tuple[str | None, Decimal], ...]:
        """Every price the group price is compared with (SEL-3): the market price first, then platforms."""
        market = ((None, self.market_price),) if self.market_price is not None else ()
        return market + self.platform_prices


@dataclass(frozen=True)
class Tier:
    at: int
    gift: str


@dataclass(frozen=True)
class Survey:
    question: str
    options: tuple[str, ...]
    winner: str


@dataclass(frozen=True)
class SaleResults:
    """What really happened, written into the file after the sale so the battle report carries the figures (END-4)."""

    orders: int | None = None
    minutes: int | None = None  # how long it took (to sell out, or the whole window)
    sold: tuple[int, ...] = ()  # units sold, per product in product order


@dataclass(frozen=True)
class GroupSettings:
    size: int = 120  # GR-3
    name: str = ""
    helpers: int = 6  # GR-5
    skip_numbers: bool = False  # GR-4: off by default, the operator's choice


@dataclass(frozen=True)
class RedEnvelopes:
    """GR-6: 10–15 envelopes of 3–5 yuan, about 20 recipients each."""

    count: int = 12
    amount: Decimal = Decimal("4")
    recipients: int = 20

    @property
    def budget(self) -> Decimal:
        return self.amount * self.count


@dataclass(frozen=True)
class TimesOfDay:
    """When the day-dated Moments posts go out, in the campaign's zone."""

    morning: time = time(10, 0)
    afternoon: time = time(15, 0)
    evening: time = time(20, 0)


@dataclass(frozen=True)
class QuietHours:
    start: time = time(23, 0)
    end: time = time(7, 0)

    def contains(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


@dataclass(frozen=True)
class Campaign:
    name: str
    brand: str
    start: datetime  # aware, in `zone`
    zone: ZoneInfo
    duration: timedelta
    products: tuple[Product, ...]
    survey: Survey
    language: str = "zh"
    category: str = "other"  # one of CATEGORIES
    voice: str = "家人们"  # how the host addresses the group: 家人们, 姐妹们, 茶友们, folks ...
    audience: int | None = None
    interested: int | None = None  # WU-1: people who liked, commented or signed up during the warm-up
    results: SaleResults | None = None  # END-4: the real figures, once the sale is over
    group: GroupSettings = field(default_factory=GroupSettings)
    tiers: tuple[Tier, ...] = ()
    times: TimesOfDay = field(default_factory=TimesOfDay)
    channels: tuple[str, ...] = ()
    red_envelopes: RedEnvelopes = field(default_factory=RedEnvelopes)
    wrapup: tuple[str, ...] = ("sorting",)
    liker_gift: str | None = None
    benefit: str = ""
    currency: str = "¥"
    reviews_after_days: int = 5
    extension: object = None  # END-1: only ever read by the check, which refuses it
    referral: object = None  # WU-11: likewise
    quiet_hours: QuietHours = field(default_factory=QuietHours)
    ignored_checks: tuple[str, ...] = ()
    id: str | None = None  # the sale's identity in calendars (UIDs), kept across revisions of the file
    revision: int | None = None  # the calendar SEQUENCE, when the operator numbers revisions
    saved_at: datetime | None = field(default=None, compare=False)  # when the file was last saved (UTC): the calendar DTSTAMP
    source: SourceMap = field(default_factory=lambda: SourceMap("<campaign>"), compare=False, repr=False)

    @property
    def timezone(self) -> str:
        return self.zone.key

    @property
    def sale_end(self) -> datetime:
        """E = S + W in absolute time, shown in the campaign's zone.

        Aware datetimes in one ZoneInfo add as wall time, so the sum is taken in UTC: a 40-minute sale that starts at
        01:30 on the night the clocks go back ends 40 real minutes later.
        """
        return (self.start.astimezone(timezone.utc) + self.duration).astimezone(self.zone)

    @property
    def total_stock(self) -> int:
        return sum(p.stock for p in self.products)

    @property
    def wrapup_action(self) -> str:
        """The one END-3 action the group sees; `none` when the file says so or lists none."""
        chosen = [a for a in self.wrapup if a != "none"]
        return chosen[0] if chosen else "none"
