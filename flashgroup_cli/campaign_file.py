"""Campaign file format v1: read, validate every key, and build a located Campaign.

Every problem is collected with its YAML position and raised once (CampaignError), so a user fixes a file in one
pass. Keys and defaults are documented in docs/campaign-file.md; the rule each serves is named beside it here.
"""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from .durations import parse_duration
from .errors import CampaignError, Problem
from .model import (
    CATEGORIES,
    CHANNELS,
    CRITERIA,
    DEFAULT_UNPAID_MINUTES,
    FULFILMENT_KINDS,
    VOICES,
    WRAPUP_ACTIONS,
    Campaign,
    Fulfilment,
    GroupSettings,
    Payment,
    Product,
    QuietHours,
    RedEnvelopes,
    SaleResults,
    Survey,
    Tier,
    TimesOfDay,
    Worry,
    WrapupDetails,
    red_packets_work,
    short_name,
)
from .records import replace
from .safe_text import quoted
from .yaml_source import SourceMap, child_path, load_yaml, read_campaign_text

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any

TOP_KEYS = (
    "id",
    "revision",
    "name",
    "brand",
    "start",
    "timezone",
    "duration",
    "language",
    "category",
    "voice",
    "audience",
    "interested",
    "results",
    "group",
    "products",
    "tiers",
    "survey",
    "times",
    "channels",
    "red_envelopes",
    "wrapup",
    "liker_gift",
    "benefit",
    "currency",
    "reviews_after_days",
    "extension",
    "referral",
    "quiet_hours",
    "checks",
    "fulfilment",
    "payment",
    "giveaway",
)
PRODUCT_KEYS = (
    "name",
    "price",
    "market_price",
    "platform_prices",
    "stock",
    "criteria",
    "selling_points",
    "reviews",
    "worry",
    "linked_offer",
    "clearance",
    "near_expiry",
    "unit",
    "short",
    "reference_label",
)
GROUP_KEYS = ("size", "name", "helpers", "skip_numbers")
SURVEY_KEYS = ("question", "options", "winner")
TIER_KEYS = ("at", "gift")
TIMES_KEYS = ("morning", "afternoon", "evening")
RED_ENVELOPE_KEYS = ("count", "amount", "recipients")
WORRY_KEYS = ("question", "answer")
CHECKS_KEYS = ("ignore",)
RESULTS_KEYS = ("orders", "minutes", "sold", "reviews")
PAYMENT_KEYS = ("method", "note", "unpaid_minutes")
WRAPUP_KEYS = ("action", "link", "gift", "product", "claim")
PICKUP_KEYS = ("where", "from")
LOCAL_DELIVERY_KEYS = ("area", "when")

MIN_DURATION = timedelta(minutes=10)
MAX_DURATION = timedelta(hours=6)
MAX_PRODUCTS = 5  # SEL-5
MAX_STOCK = 1_000_000
MAX_GROUP_SIZE = 500  # a WeChat group holds at most 500 members
MAX_GROUPS = 100  # GR-3: about 120 per group; a hundred groups is a campaign for a team, not one operator
MAX_NAME = 100  # characters of a name that titles, headings and file names carry (name, brand, products, units)
YEARS = (1900, 2200)  # a start outside these years is a typo (and the calendar arithmetic has limits)


def load_campaign(path: Path | str, display: str | None = None) -> Campaign:
    """Read and validate a campaign file; raises CampaignError listing every problem."""
    path = Path(path)
    shown = display or str(path)
    text = read_campaign_text(path, shown)
    campaign = parse_campaign(text, shown)
    return replace(campaign, saved_at=saved_at(path))


def saved_at(path: Path) -> datetime | None:
    """When the campaign was last saved, to the second, in UTC: the calendar's DTSTAMP (ics_output.py).

    SOURCE_DATE_EPOCH (the reproducible-builds convention) overrides the file's modification time.
    """
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        seconds = int(epoch) if epoch else int(path.stat().st_mtime)
        return datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (ValueError, OSError, OverflowError):
        return None


def parse_campaign(text: str, display: str = "<campaign>") -> Campaign:
    data, source = load_yaml(text, display)
    return _Validator(source).campaign(data)


class _Validator:
    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []

    # -- reporting --------------------------------------------------------------------------------------------
    def fail(self, path: str, message: str, *, at_key: bool = False, code: str | None = None) -> None:
        where = self.source.key_at(path) if at_key else self.source.at(path)
        self.problems.append(Problem(where, path, message, code))

    def mapping(self, value: Any, path: str, known: tuple[str, ...], what: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(path, f"must be a mapping of {what} (got {_shown(value)})")
            return None
        for key in value:
            if key not in known:
                import difflib  # only for a suggestion

                close = difflib.get_close_matches(str(key)[:60], known, n=1, cutoff=0.6)
                hint = f"; did you mean `{close[0]}`?" if close else f"; known keys: {', '.join(known)}"
                self.fail(child_path(path, str(key)), f"unknown key{hint}", at_key=True)
        return value

    # -- typed readers: return None and record a problem when the value is wrong -------------------------------
    def text(
        self, data: dict[str, Any], key: str, path: str, *, required: bool = False, default: str | None = None, line: bool = False
    ) -> str | None:
        """A text value; `line`: a name on one line of at most MAX_NAME characters (it goes into titles and headings)."""
        sub = child_path(path, key)
        if key not in data or data[key] is None:
            if required:
                self.fail(sub, "is required", at_key=True)
            return default
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            self.fail(sub, f"must be text (got {_shown(value)})")
            return default
        value = str(value).strip()
        if not value:
            self.fail(sub, "must not be empty")
            return default
        if line and ("\n" in value or "\t" in value):
            self.fail(sub, f"must be one line (got {_shown(value)})")
            return default
        if line and len(value) > MAX_NAME:
            self.fail(sub, f"is too long ({len(value)} characters; at most {MAX_NAME})")
            return default
        return value

    def whole(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        *,
        low: int,
        high: int,
        default: int | None = None,
        required: bool = False,
        what: str = "a positive whole number",
    ) -> int | None:
        sub = child_path(path, key)
        if key not in data or data[key] is None:
            if required:
                self.fail(sub, "is required", at_key=True)
            return default
        value = data[key]
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(sub, f"must be {what} (got {_shown(value)})")
            return default
        if not low <= value <= high:
            self.fail(sub, f"must be {what} from {low} to {high} (got {value})")
            return default
        return value

    def money(self, data: dict[str, Any], key: str, path: str, *, required: bool = False, positive: bool = True) -> Decimal | None:
        sub = child_path(path, key)
        if key not in data or data[key] is None:
            if required:
                self.fail(sub, "is required", at_key=True)
            return None
        return self.money_value(data[key], sub, positive=positive)

    def money_value(self, value: Any, path: str, *, positive: bool = True) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal, float)):
            self.fail(path, f"must be a number (got {_shown(value)})")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(path, f"must be a finite number (got {_shown(value)})")
            return None
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if amount < 0 or (positive and amount == 0):
            self.fail(path, f"must be {'above' if positive else 'at least'} 0 (got {_shown(value)})")
            return None
        if amount > Decimal("10000000"):
            self.fail(path, f"is too large (got {_shown(value)})")
            return None
        return amount

    def flag(self, data: dict[str, Any], key: str, path: str, default: bool = False) -> bool:
        if key not in data or data[key] is None:
            return default
        if not isinstance(data[key], bool):
            self.fail(child_path(path, key), f"must be true or false (got {_shown(data[key])})")
            return default
        return data[key]

    def texts(self, data: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        sub = child_path(path, key)
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(sub, f"must be a list of texts (got {_shown(value)})")
            return ()
        out = []
        for i, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, (str, int, Decimal)) or not str(item).strip():
                self.fail(child_path(sub, i), f"must be non-empty text (got {_shown(item)})")
            else:
                out.append(str(item).strip())
        return tuple(out)

    def choices(self, data: dict[str, Any], key: str, path: str, allowed: tuple[str, ...], default: tuple[str, ...]) -> tuple[str, ...]:
        sub = child_path(path, key)
        if key not in data or data[key] is None:
            return default
        items = self.texts(data, key, path)
        good = []
        for i, item in enumerate(items):
            if item not in allowed:
                import difflib  # only for a suggestion

                close = difflib.get_close_matches(item[:60], allowed, n=1, cutoff=0.6)
                hint = f"; did you mean `{close[0]}`?" if close else ""
                self.fail(
                    child_path(sub, i) if isinstance(data[key], list) else sub,
                    f"must be one of {', '.join(allowed)} (got {quoted(item)}){hint}",
                )
            elif item not in good:
                good.append(item)
        return tuple(good)

    def clock(self, data: dict[str, Any], key: str, path: str, default: time) -> time:
        if key not in data or data[key] is None:
            return default
        value = data[key]
        parsed = _parse_clock(value)
        if parsed is None:
            self.fail(child_path(path, key), f"must be a time of day like 10:00 (got {_shown(value)})")
            return default
        return parsed

    # -- the campaign -----------------------------------------------------------------------------------------
    def campaign(self, data: Any) -> Campaign:
        if not isinstance(data, dict):
            self.fail("", f"a campaign file must be a mapping of keys (name, brand, start, ...), not {_kind(data)}")
            raise CampaignError(self.problems)
        self.mapping(data, "", TOP_KEYS, "campaign keys")
        name = self.text(data, "name", "", required=True, line=True)
        brand = self.text(data, "brand", "", required=True, line=True)
        written = self.text(data, "language", "", default="zh") or "zh"
        language = language_named(written)
        if language is None:
            self.fail("language", f"must be zh or en (got {quoted(written)})")
            language = "zh"
        category = self.category(data)
        voice = self.text(data, "voice", "", default=VOICES[language]) or VOICES[language]
        zone = self.zone(data)
        start = self.start(data, zone)
        duration = self.duration(data)
        products = self.products(data.get("products"), "products" in data)
        tiers = self.tiers(data.get("tiers"), sum(p.stock for p in products))
        survey = self.survey(data.get("survey"), "survey" in data)
        group = self.group(data.get("group"), brand or "", language)
        audience = self.whole(data, "audience", "", low=1, high=1_000_000)
        if audience and group.size and -(-audience // group.size) > MAX_GROUPS:
            self.fail(
                "audience",
                f"needs {-(-audience // group.size)} groups of {group.size}; at most {MAX_GROUPS} groups per campaign "
                f"(GR-3: about 120 per group; split the campaign) (got {audience})",
                code="GR-3",
            )
        interested = self.whole(data, "interested", "", low=1, high=1_000_000)  # WU-1
        results = self.results(data.get("results"), products, duration)
        times = self.times(data.get("times"))
        red = self.red_envelopes(data.get("red_envelopes"))
        channels = self.choices(data, "channels", "", CHANNELS, ())
        wrapup, wrapup_details = self.wrapup(data.get("wrapup"), products)
        fulfilment = self.fulfilment(data.get("fulfilment"))
        payment = self.payment(data.get("payment"))
        giveaway = self.text(data, "giveaway", "")
        quiet = self.quiet_hours(data.get("quiet_hours"))
        ignored = self.checks(data.get("checks"))
        liker_gift = self.text(data, "liker_gift", "")
        currency = self.text(data, "currency", "", default="¥", line=True) or "¥"
        reviews_after = self.whole(data, "reviews_after_days", "", low=1, high=60, default=5) or 5
        benefit = self.text(data, "benefit", "")
        campaign_id = self.text(data, "id", "")
        revision = self.whole(data, "revision", "", low=0, high=1_000_000, what="a whole number")
        if giveaway is None and not red_packets_work(currency):
            self.fail(
                "currency" if "currency" in data else "",
                f"WeChat red packets are paid in CNY or HKD only, so with {currency} the GR-6 round needs `giveaway:`, what the group"
                " gets instead (e.g. giveaway: the first 10 people to say hi get a free jar of apple butter)",
                code="GR-6",
            )
        if self.problems:
            raise CampaignError(self.problems)
        assert name and brand and start and duration and survey and zone  # guaranteed when no problem was found
        return Campaign(
            name=name,
            brand=brand,
            start=start,
            zone=zone,
            duration=duration,
            products=products,
            survey=survey,
            language=language or "zh",
            category=category,
            voice=voice,
            audience=audience,
            interested=interested,
            results=results,
            group=group,
            tiers=tiers,
            times=times,
            channels=channels,
            red_envelopes=red,
            wrapup=wrapup,
            wrapup_details=wrapup_details,
            fulfilment=fulfilment,
            payment=payment,
            giveaway=giveaway,
            liker_gift=liker_gift,
            benefit=benefit or survey.winner,
            currency=currency,
            reviews_after_days=reviews_after,
            extension=data.get("extension"),
            referral=data.get("referral"),
            quiet_hours=quiet,
            ignored_checks=ignored,
            id=campaign_id,
            revision=revision,
            source=self.source,
        )

    def category(self, data: dict[str, Any]) -> str:
        """What the seller sells (fresh, bakery, beauty, tea, household, other); 生鲜, 烘焙 ... name them too."""
        written = self.text(data, "category", "", default="other") or "other"
        category = _CATEGORY_NAMES.get(written.strip().lower(), written.strip().lower())
        if category not in CATEGORIES:
            import difflib  # only for a suggestion

            close = difflib.get_close_matches(category, CATEGORIES, n=1, cutoff=0.6)
            hint = f"; did you mean `{close[0]}`?" if close else ""
            self.fail("category", f"must be one of {', '.join(CATEGORIES)} (got {written!r}){hint}")
            return "other"
        return category

    def zone(self, data: dict[str, Any]) -> ZoneInfo | None:
        name = self.text(data, "timezone", "", default="Asia/Shanghai") or "Asia/Shanghai"
        try:
            if name.startswith("/") or ".." in name:
                raise ValueError
            return ZoneInfo(name)
        except (ValueError, OSError, KeyError):
            import difflib  # only for a suggestion
            from zoneinfo import available_timezones

            close = difflib.get_close_matches(name[:60], sorted(available_timezones()), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else "; use an IANA name like Asia/Shanghai"
            self.fail("timezone", f"unknown time zone {quoted(name)}{hint}")
            return None

    def start(self, data: dict[str, Any], zone: ZoneInfo | None) -> datetime | None:
        if data.get("start") is None:
            self.fail("start", "is required: the sale start, e.g. 2026-12-12 20:00", at_key=True)
            return None
        raw = str(data["start"]).strip()
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError as exc:
            why = str(exc) if "out of range" in str(exc) or "must be in" in str(exc) else "not a date and time"
            self.fail("start", f"{why}; write it like 2026-12-12 20:00 (got {quoted(raw)})")
            return None
        if len(raw) <= 10:
            self.fail("start", f"needs a time of day, e.g. {raw} 20:00 (got {quoted(raw)})")
            return None
        if not YEARS[0] <= parsed.year <= YEARS[1]:
            self.fail("start", f"must be in the years {YEARS[0]} to {YEARS[1]} (got {quoted(raw)})")
            return None
        if zone is None:
            return None
        if parsed.tzinfo is not None:
            return parsed.astimezone(zone)
        local = parsed.replace(tzinfo=zone)
        if unchanged_at(local):
            return local  # no clock change at this wall time: it exists, once (the common case, without dateutil)
        from dateutil import tz

        if not tz.datetime_exists(local):
            self.fail(
                "start", f"{raw} does not exist in {zone.key}: the clocks jump forward over it (daylight saving time); pick another time"
            )
            return None
        if tz.datetime_ambiguous(local):
            first = local.replace(fold=0).strftime("%z")
            second = local.replace(fold=1).strftime("%z")
            self.fail(
                "start",
                f"{raw} happens twice in {zone.key} (the clocks go back); add the offset, e.g. "
                f"{parsed.isoformat()}{first[:3]}:{first[3:]} or {second[:3]}:{second[3:]}",
            )
            return None
        return local

    def duration(self, data: dict[str, Any]) -> timedelta | None:
        raw = data.get("duration", "30m")
        if raw is None:
            raw = "30m"
        try:
            value = parse_duration(raw)
        except ValueError:
            self.fail("duration", f"must be a duration like 30m, 45m, 1h or 1h30m (got {_shown(raw)})")
            return None
        if not MIN_DURATION <= value <= MAX_DURATION:
            self.fail("duration", f"must be from 10m to 6h; a flash sale lasts about 30m (GR-12) (got {_shown(raw)})", code="GR-12")
            return None
        return value

    def products(self, value: Any, present: bool) -> tuple[Product, ...]:
        if not present or value is None:
            self.fail("products", "is required: 1 to 5 products (SEL-5)", at_key=present)
            return ()
        if not isinstance(value, list):
            self.fail("products", f"must be a list of 1 to 5 products (got {_shown(value)})")
            return ()
        if not 1 <= len(value) <= MAX_PRODUCTS:
            self.fail("products", f"must list 1 to {MAX_PRODUCTS} products; more dilutes the sale (SEL-5) (got {len(value)})", code="SEL-5")
        products = []
        for i, item in enumerate(value):
            product = self.product(item, child_path("products", i))
            if product:
                products.append(product)
        return tuple(products)

    def product(self, value: Any, path: str) -> Product | None:
        data = self.mapping(value, path, PRODUCT_KEYS, "product keys (name, price, stock, ...)")
        if data is None:
            return None
        name = self.text(data, "name", path, required=True, line=True)
        price = self.money(data, "price", path, required=True, positive=False)
        stock = self.whole(data, "stock", path, low=1, high=MAX_STOCK, required=True)
        market = self.money(data, "market_price", path)
        platforms = self.platform_prices(data.get("platform_prices"), child_path(path, "platform_prices"))
        criteria = self.choices(data, "criteria", path, CRITERIA, ())
        worry = self.worry(data.get("worry"), child_path(path, "worry"))
        clearance = self.flag(data, "clearance", path) or self.flag(data, "near_expiry", path)
        if None in (name, price, stock):
            return None
        assert name is not None and price is not None and stock is not None
        return Product(
            name=name,
            price=price,
            stock=stock,
            market_price=market,
            platform_prices=platforms,
            criteria=criteria,
            selling_points=self.texts(data, "selling_points", path),
            reviews=self.texts(data, "reviews", path),
            worry=worry,
            linked_offer=self.text(data, "linked_offer", path),
            clearance=clearance,
            unit=self.text(data, "unit", path, line=True),
            short=self.text(data, "short", path, line=True) or short_name(name),
            reference_label=self.text(data, "reference_label", path, line=True),
        )

    def platform_prices(self, value: Any, path: str) -> tuple[tuple[str, Decimal], ...]:
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.fail(path, f"must map a platform to its price, e.g. {{天猫: 29.9}} (got {_shown(value)})")
            return ()
        out = []
        for platform, price in value.items():
            amount = self.money_value(price, child_path(path, str(platform)))
            if amount is not None:
                out.append((str(platform), amount))
        return tuple(out)

    def worry(self, value: Any, path: str) -> Worry | None:
        if value is None:
            return None
        data = self.mapping(value, path, WORRY_KEYS, "question and answer")
        if data is None:
            return None
        question = self.text(data, "question", path, required=True)
        answer = self.text(data, "answer", path, required=True)
        return Worry(question, answer) if question and answer else None

    def tiers(self, value: Any, total_stock: int) -> tuple[Tier, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail("tiers", f"must be a list like [{{at: 150, gift: ...}}] (got {_shown(value)})")
            return ()
        tiers: list[Tier] = []
        for i, item in enumerate(value):
            path = child_path("tiers", i)
            data = self.mapping(item, path, TIER_KEYS, "at and gift")
            if data is None:
                continue
            at = self.whole(data, "at", path, low=1, high=MAX_STOCK, required=True)
            gift = self.text(data, "gift", path, required=True, line=True)
            if at is None or gift is None:
                continue
            if tiers and at <= tiers[-1].at:
                self.fail(child_path(path, "at"), f"tiers must go up: {at} comes after {tiers[-1].at} (GR-14)", code="GR-14")
            elif total_stock and at > total_stock:
                self.fail(
                    child_path(path, "at"),
                    f"is above the total stock of {total_stock}, so it can never be reached (GR-14) (got {at})",
                    code="GR-14",
                )
            tiers.append(Tier(at, gift))
        return tuple(tiers)

    def survey(self, value: Any, present: bool) -> Survey | None:
        if value is None:
            self.fail("survey", "is required for the day-1 benefit survey: {question: ..., options: [A, B]} (WU-3)", at_key=present)
            return None
        data = self.mapping(value, "survey", SURVEY_KEYS, "question, options and winner")
        if data is None:
            return None
        question = self.text(data, "question", "survey", required=True)
        options = self.texts(data, "options", "survey")
        if "options" not in data:
            self.fail("survey.options", "is required: at least 2 choices, a closed question (WU-3)", at_key=True)
        elif len(options) < 2:
            self.fail(
                "survey.options",
                f"needs at least 2 choices: ask a closed question, never an open one (WU-3) (got {len(options)})",
                code="WU-3",
            )
        elif len(set(options)) != len(options):
            self.fail("survey.options", "lists the same choice twice")
        winner = self.text(data, "winner", "survey")
        if winner is not None and options and winner not in options:
            self.fail("survey.winner", f"must be one of the options {', '.join(options)} (got {quoted(winner)})")
        if question is None or len(options) < 2:
            return None
        return Survey(question, options, winner or options[0])

    def group(self, value: Any, brand: str, language: str | None) -> GroupSettings:
        default_name = f"{brand}福利{{n}}群" if language != "en" else f"{brand} Flash Sale {{n}}"
        if value is None:
            return GroupSettings(name=default_name)
        data = self.mapping(value, "group", GROUP_KEYS, "size, name, helpers, skip_numbers")
        if data is None:
            return GroupSettings(name=default_name)
        name = self.text(data, "name", "group", line=True) or default_name
        if "{n}" not in name:
            name += "{n}"
        if name != default_name and ("{" in name.replace("{n}", "") or "}" in name.replace("{n}", "")):
            self.fail("group.name", f"may hold only {{n}} for the group number, no other braces (got {_shown(name)})")
            name = default_name
        helpers = self.whole(data, "helpers", "group", low=0, high=100, default=6, what="a whole number")
        return GroupSettings(
            size=self.whole(data, "size", "group", low=2, high=MAX_GROUP_SIZE, default=120) or 120,
            name=name,
            helpers=6 if helpers is None else helpers,
            skip_numbers=self.flag(data, "skip_numbers", "group"),
        )

    def times(self, value: Any) -> TimesOfDay:
        if value is None:
            return TimesOfDay()
        data = self.mapping(value, "times", TIMES_KEYS, "morning, afternoon, evening")
        if data is None:
            return TimesOfDay()
        d = TimesOfDay()
        times = TimesOfDay(
            morning=self.clock(data, "morning", "times", d.morning),
            afternoon=self.clock(data, "afternoon", "times", d.afternoon),
            evening=self.clock(data, "evening", "times", d.evening),
        )
        if not times.morning < times.afternoon < times.evening:
            self.fail("times", "morning, afternoon and evening must come in that order within the day")
        return times

    def red_envelopes(self, value: Any) -> RedEnvelopes:
        if value is None:
            return RedEnvelopes()
        data = self.mapping(value, "red_envelopes", RED_ENVELOPE_KEYS, "count, amount, recipients")
        if data is None:
            return RedEnvelopes()
        d = RedEnvelopes()
        return RedEnvelopes(
            count=self.whole(data, "count", "red_envelopes", low=1, high=200, default=d.count) or d.count,
            amount=self.money(data, "amount", "red_envelopes") or d.amount,
            recipients=self.whole(data, "recipients", "red_envelopes", low=1, high=500, default=d.recipients) or d.recipients,
        )

    def results(self, value: Any, products: tuple[Product, ...], duration: timedelta | None) -> SaleResults | None:
        """END-4: the figures after the sale. More sold than stocked would mean an extension, which END-1 forbids."""
        if value is None:
            return None
        data = self.mapping(value, "results", RESULTS_KEYS, "orders, minutes, sold, reviews")
        if data is None:
            return None
        window = int(duration.total_seconds() // 60) if duration else 360
        orders = self.whole(data, "orders", "results", low=0, high=10_000_000, what="a whole number")
        minutes = self.whole(data, "minutes", "results", low=1, high=window, what="a whole number of minutes within the sale")
        sold: list[int] = []
        raw = data.get("sold")
        if raw is not None:
            if not isinstance(raw, list) or len(raw) != len(products):
                self.fail("results.sold", f"must list the units sold of each of the {len(products)} products, in order (got {_shown(raw)})")
            else:
                for i, (amount, product) in enumerate(zip(raw, products)):
                    path = f"results.sold[{i}]"
                    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
                        self.fail(path, f"must be a whole number of units (got {_shown(amount)})")
                    elif amount > product.stock:
                        self.fail(
                            path,
                            f"is more than the stock of {product.stock}: the sale ends when stock is gone, no extra units (END-1) (got {amount})",
                            code="END-1",
                        )
                    else:
                        sold.append(amount)
        return SaleResults(orders, minutes, tuple(sold), self.texts(data, "reviews", "results"))

    def wrapup(self, value: Any, products: tuple[Product, ...]) -> tuple[tuple[str, ...], WrapupDetails]:
        """END-3: `sorting`, a list of actions, or a mapping with the facts the action needs: `{action: questionnaire, link: ...,
        gift: ...}`, `{action: tester, product: ..., claim: ...}`."""
        if not isinstance(value, dict):
            actions = self.choices({"wrapup": value}, "wrapup", "", WRAPUP_ACTIONS, ("sorting",)) or ("none",)
            details = WrapupDetails()
        else:
            data = self.mapping(value, "wrapup", WRAPUP_KEYS, "action, link, gift, product, claim")
            assert data is not None
            if data.get("action") is None:
                self.fail("wrapup.action", f"is required: one of {', '.join(WRAPUP_ACTIONS)}", at_key="action" in data)
                return ("none",), WrapupDetails()
            actions = self.choices(data, "action", "wrapup", WRAPUP_ACTIONS, ("sorting",)) or ("none",)
            details = WrapupDetails(
                link=self.text(data, "link", "wrapup"),
                gift=self.text(data, "gift", "wrapup"),
                product=self.text(data, "product", "wrapup"),
                claim=self.text(data, "claim", "wrapup"),
            )
        chosen = next((a for a in actions if a != "none"), "none")
        where = "wrapup" if isinstance(value, dict) else ""
        if chosen == "questionnaire" and not details.link:
            self.fail(
                where or "wrapup",
                "a questionnaire needs its link, so the group gets something to tap: "
                "wrapup: {action: questionnaire, link: https://..., gift: ...} (END-3)",
                at_key=not where,
                code="END-3",
            )
        if chosen == "tester" and not details.product:
            self.fail(
                where or "wrapup",
                "the tester round needs the product the winner tries: wrapup: {action: tester, product: ..., claim: ...} (END-3)",
                at_key=not where,
                code="END-3",
            )
        return actions, details

    def fulfilment(self, value: Any) -> Fulfilment:
        """`delivery` (courier, the default), `{pickup: {where, from}}` or `{local_delivery: {area, when}}`."""
        if value is None or value == "delivery":
            return Fulfilment()
        if isinstance(value, str) and value in FULFILMENT_KINDS:
            needs = '{pickup: {where: 龙华店, from: "15:00"}}' if value == "pickup" else "{local_delivery: {area: 南山区, when: 当晚8点前}}"
            self.fail("fulfilment", f"{value} needs its details: {needs} (got {_shown(value)})")
            return Fulfilment()
        if not isinstance(value, dict) or len(value) != 1:
            self.fail(
                "fulfilment",
                f"must be delivery, {{pickup: {{where, from}}}} or {{local_delivery: {{area, when}}}} (got {_shown(value)})",
            )
            return Fulfilment()
        self.mapping(value, "fulfilment", ("pickup", "local_delivery"), "pickup or local_delivery")
        kind = next(iter(value))
        if kind == "pickup":
            data = self.mapping(value[kind], "fulfilment.pickup", PICKUP_KEYS, "where and from")
            if data is None:
                return Fulfilment()
            where = self.text(data, "where", "fulfilment.pickup", required=True)
            opens = None
            if data.get("from") is None:
                self.fail("fulfilment.pickup.from", 'is required: from what time buyers can pick up, e.g. "15:00"', at_key=True)
            else:
                opens = _parse_clock(data["from"])
                if opens is None:
                    self.fail("fulfilment.pickup.from", f'must be a time of day like "15:00" (got {_shown(data["from"])})')
            return Fulfilment("pickup", where=where, opens=opens)
        if kind == "local_delivery":
            data = self.mapping(value[kind], "fulfilment.local_delivery", LOCAL_DELIVERY_KEYS, "area and when")
            if data is None:
                return Fulfilment()
            return Fulfilment(
                "local_delivery",
                area=self.text(data, "area", "fulfilment.local_delivery", required=True),
                when=self.text(data, "when", "fulfilment.local_delivery", required=True),
            )
        return Fulfilment()

    def payment(self, value: Any) -> Payment | None:
        """GR-9: how buyers pay after the chain; unpaid entries go to the next person after `unpaid_minutes`."""
        if value is None:
            return None
        if isinstance(value, str):
            value = {"method": value}
        data = self.mapping(value, "payment", PAYMENT_KEYS, "method, note, unpaid_minutes")
        if data is None:
            return None
        method = self.text(data, "method", "payment", required=True)
        minutes = self.whole(
            data, "unpaid_minutes", "payment", low=1, high=120, default=DEFAULT_UNPAID_MINUTES, what="a whole number of minutes"
        )
        if method is None:
            return None
        return Payment(method, self.text(data, "note", "payment"), minutes or DEFAULT_UNPAID_MINUTES)

    def quiet_hours(self, value: Any) -> QuietHours:
        if value is None:
            return QuietHours()
        parts = str(value).replace("–", "-").split("-") if isinstance(value, str) else []
        clocks = [_parse_clock(p.strip()) for p in parts]
        if len(clocks) != 2 or None in clocks:
            self.fail("quiet_hours", f"must be a range like 23:00-07:00 (got {_shown(value)})")
            return QuietHours()
        return QuietHours(clocks[0], clocks[1])  # type: ignore[arg-type]

    def checks(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        data = self.mapping(value, "checks", CHECKS_KEYS, "ignore")
        if data is None:
            return ()
        return tuple(code.upper() for code in self.texts(data, "ignore", "checks"))


_CATEGORY_NAMES = {
    "生鲜": "fresh",
    "水果": "fresh",
    "fresh food": "fresh",
    "烘焙": "bakery",
    "面包": "bakery",
    "美妆": "beauty",
    "护肤": "beauty",
    "cosmetics": "beauty",
    "茶饮": "tea",
    "茶": "tea",
    "茶叶": "tea",
    "日用": "household",
    "日用品": "household",
    "家居": "household",
    "其他": "other",
    "其它": "other",
}

# zh-CN, zh_TW, en-US, Chinese, 中文 ... all name one of the two languages the copy is written in.
_LANGUAGE_NAMES = {"zh": "zh", "cn": "zh", "chinese": "zh", "中文": "zh", "汉语": "zh", "en": "en", "english": "en", "英文": "en"}


def language_named(written: str) -> str | None:
    """`zh` or `en` for a language as people write it, None when it is neither."""
    return _LANGUAGE_NAMES.get(written.strip().lower().replace("_", "-").split("-")[0])


def _parse_clock(value: Any) -> time | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        # YAML 1.1 reads an unquoted 10:00 as the sexagesimal number 600.
        return time(value // 60, value % 60)
    try:
        hour, minute = str(value).strip().split(":")
        return time(int(hour), int(minute))
    except (ValueError, TypeError):
        return None


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "plain text"
    return f"a {type(value).__name__}"


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return quoted(value, 40)
    if isinstance(value, (dict, list)):
        return _kind(value).replace("a dict", "a mapping")
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def unchanged_at(local: datetime) -> bool:
    """True when both readings of an aware wall time (fold 0 and 1) have the same UTC offset and DST: then it exists
    and happens once, which is what dateutil's datetime_exists/datetime_ambiguous would say (import only when not)."""
    first, second = local.replace(fold=0), local.replace(fold=1)
    return first.utcoffset() == second.utcoffset() and first.dst() == second.dst()
