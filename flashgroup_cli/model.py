"""The campaign as the rest of the tool sees it: typed, validated, and located (see campaign_file.py)."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from .records import field, record
from .yaml_source import SourceMap

CRITERIA = ("low_price", "high_value", "proven_demand", "broad_appeal", "strong_link")  # SEL-2
WRAPUP_ACTIONS = ("questionnaire", "tester", "member_card", "sorting", "none")  # END-3
CHANNELS = ("official_account", "member_group", "video_channel")  # WU-10
LANGUAGES = ("zh", "en")
CATEGORIES = ("fresh", "bakery", "beauty", "tea", "household", "other")  # what the seller sells: picks the WU-5 stories
VOICES = {"zh": "家人们", "en": "everyone"}  # how the host addresses customers unless the file says (`voice`)
FULFILMENT_KINDS = ("delivery", "pickup", "local_delivery")
RED_PACKET_CURRENCIES = ("¥", "￥", "CNY", "RMB", "元", "人民币", "HK$", "HKD", "港币")  # what WeChat red packets are paid in
DEFAULT_UNPAID_MINUTES = 10  # GR-9: unpaid chain entries go to the next person after this long

_PACK_SIZE = re.compile(
    r"[\s,，、/·]*(?:[x×*]\s*\d+|\d+(?:\.\d+)?\s*(?:斤装|斤|公斤|千克|克|kg|g|ml|毫升|l|升|lbs?|oz|枚|个|只|颗|粒|片|包|袋|盒|瓶|罐|支|条|箱|入|件|bottles?|jars?|cans?|packs?|bags?|boxes|box|pcs|pieces?|ct|count)"
    r"(?:\s*装|\s*(?:box|pack|bag|bottles?|jars?|cans?))?|(?:\d+\s*)?(?:lbs?|oz)\s*(?:box|pack|bag)?)$",
    re.IGNORECASE,
)


def red_packets_work(currency: str) -> bool:
    """WeChat red packets are paid in CNY or HKD only (GR-6)."""
    return currency.strip().upper() in {c.upper() for c in RED_PACKET_CURRENCIES}


def short_name(name: str) -> str:
    """The name without a trailing pack size (`山东烟台红富士 10斤` -> `山东烟台红富士`, `Apple cider, 6 bottles` ->
    `Apple cider`): what sentences use; the full name stays in the intro, the chain and the sheet."""
    short = name
    while True:
        cut = _PACK_SIZE.sub("", short).strip()
        if cut == short or not cut:
            break
        short = cut
    return short or name


@record
class Worry:
    """The typical doubt a helper voices in the chain, and the host's answer (GR-9)."""

    question: str
    answer: str


@record
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
    short: str = ""  # the name inside sentences; the loader defaults it to short_name(name)
    reference_label: str | None = None  # what market_price is (SEL-3); None: 市场价 / "elsewhere"

    @property
    def sentence_name(self) -> str:
        return self.short or short_name(self.name)

    @property
    def reference_prices(self) -> tuple[tuple[str | None, Decimal], ...]:
        """Every price the group price is compared with (SEL-3): the market price first, then platforms."""
        market = ((None, self.market_price),) if self.market_price is not None else ()
        return market + self.platform_prices


@record
class Tier:
    at: int
    gift: str


@record
class Survey:
    question: str
    options: tuple[str, ...]
    winner: str


@record
class SaleResults:
    """What really happened, written into the file after the sale so the battle report carries the figures (END-4)."""

    orders: int | None = None
    minutes: int | None = None  # how long it took (to sell out, or the whole window)
    sold: tuple[int, ...] = ()  # units sold, per product in product order
    reviews: tuple[str, ...] = ()  # END-5: what buyers said about this sale


@record
class GroupSettings:
    size: int = 120  # GR-3
    name: str = ""
    helpers: int = 6  # GR-5
    skip_numbers: bool = False  # GR-4: off by default, the operator's choice


@record
class RedEnvelopes:
    """GR-6: 10–15 envelopes of 3–5 yuan, about 20 recipients each."""

    count: int = 12
    amount: Decimal = Decimal("4")
    recipients: int = 20

    @property
    def budget(self) -> Decimal:
        return self.amount * self.count


@record
class Fulfilment:
    """How buyers get their order: courier delivery (the default), pick-up at a shop, or the shop's own local delivery."""

    kind: str = "delivery"  # one of FULFILMENT_KINDS
    where: str | None = None  # pickup: the place
    opens: time | None = None  # pickup: from what time of day (the first such time after the sale ends)
    area: str | None = None  # local_delivery: the area served
    when: str | None = None  # local_delivery: when it arrives, as the operator says it (当晚8点前)


@record
class Payment:
    """How buyers pay once they are in the chain (GR-9)."""

    method: str
    note: str | None = None
    unpaid_minutes: int = DEFAULT_UNPAID_MINUTES


@record
class WrapupDetails:
    """The facts a wrap-up action needs (END-3): a questionnaire's link and gift, a tester's product and claim step."""

    link: str | None = None
    gift: str | None = None
    product: str | None = None
    claim: str | None = None


@record
class TimesOfDay:
    """When the day-dated Moments posts go out, in the campaign's zone."""

    morning: time = time(10, 0)
    afternoon: time = time(15, 0)
    evening: time = time(20, 0)


@record
class QuietHours:
    start: time = time(23, 0)
    end: time = time(7, 0)

    def contains(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


@record
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
    wrapup_details: WrapupDetails = field(default_factory=WrapupDetails)
    fulfilment: Fulfilment = field(default_factory=Fulfilment)
    payment: Payment | None = None  # GR-9: without it the copy says the host posts how to pay; `check` warns
    giveaway: str | None = None  # GR-6 where WeChat red packets cannot be used (a currency other than CNY/HKD)
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
    def unpaid_minutes(self) -> int:
        return self.payment.unpaid_minutes if self.payment else DEFAULT_UNPAID_MINUTES

    @property
    def red_packets_work(self) -> bool:
        """WeChat red packets are paid in CNY or HKD only; elsewhere `giveaway` replaces the round (GR-6)."""
        return red_packets_work(self.currency)

    @property
    def total_stock(self) -> int:
        return sum(p.stock for p in self.products)

    @property
    def wrapup_action(self) -> str:
        """The one END-3 action the group sees; `none` when the file says so or lists none."""
        chosen = [a for a in self.wrapup if a != "none"]
        return chosen[0] if chosen else "none"
