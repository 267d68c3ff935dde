"""The method as a linter: one check per rule marked "check" in RULES.md, and the calendar checks a planner needs.

Each check is a pure function of a Context (the campaign, `now` when given, the schedule that will run), registered
with its rule code and severity (check_registry.py). Thresholds are named constants beside their rule; docs/checks.md
lists them. `lint()` at the bottom is the entry point for `flashgroup check`, `plan` and `timeline`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta, timezone

from .check_registry import (
    FAMILIES,
    REGISTRY,
    Context,
    Hit,
    UnknownCodeError,
    check,
    code_order,
    expand_codes,
    first_post,
    known_codes,
    severities_by_code,
)
from .events import Event, Schedule
from .findings import ERROR, INFO, WARNING, Finding
from .formatting import money
from .model import Campaign
from .schedule import INTRO_MAX, LAST_CALL

__all__ = ["lint", "known_codes", "expand_codes", "severities_by_code", "UnknownCodeError", "REGISTRY", "code_order"]

MIN_CRITERIA = 2  # SEL-2: at least 2 of the 5
MANY_PRODUCTS = 4  # SEL-5: 4–5 is a warning; more than 5 the loader refuses
AUDIENCE_PER_INTERESTED = (5, 4)  # WU-1: warn when audience > 5/4 × interested (over a fifth of the group never asked)
GROUP_SIZE = (80, 160)  # GR-3: about 120 per group
HELPERS = (5, 10)  # GR-5
CHAIN_MIN = timedelta(minutes=2)  # GR-8/GR-9: after each ≤3-minute intro, time for the chain to get going
STOCK_BAND = (200, 500)  # GR-11: units per product
STOCK_PER_MEMBER_MAX = 2  # GR-11: more than 2 units of one product per member cannot sell out
MEMBERS_PER_UNIT_MAX = 4  # GR-11: fewer than 1 unit per 4 members sells out before most have seen the intro
SALE_LENGTH_MAX = timedelta(minutes=45)  # GR-12: about 30 minutes
TIER_UNITS_PER_MEMBER_MAX = 2  # GR-14: a tier must be reachable with ≤1 unit per product and ≤2 in all per member

OPEN_OPTION_WORDS = ("其他", "其它", "别的", "随便", "都行", "都可以", "自己写", "自定义", "留言", "评论区告诉")
OPEN_OPTION_WORDS_EN = ("other", "others", "anything", "something else", "write in", "write-in", "your idea", "tell us", "suggest")
OPEN_QUESTION_WORDS = ("建议", "想法", "意见", "说说", "聊聊", "告诉我", "还想要什么", "还有什么", "随便说")
OPEN_QUESTION_WORDS_EN = ("ideas", "suggest", "tell us", "what else", "anything", "your thoughts", "what would you like")

WARMUP_DAYS = {False: 4, True: 2}  # days from the day-1 survey to the sale day: standard (WU-2), compressed (WU-9)
_DAY_POSTS: tuple[str, ...] = ("moments.survey", "moments.results", "moments.polishing", "moments.teaser", "channels.announcement")
_DAY_POSTS += ("moments.progress", "moments.reviews")


# -- Selection 选品 ------------------------------------------------------------------------------------------------
@check("SEL-1", ERROR, "a product is declared as clearance or near-expiry stock")
def clearance_stock(c: Context) -> Iterator[Hit]:
    for i, product in enumerate(c.campaign.products):
        if product.clearance:
            flags = [k for k in ("clearance", "near_expiry") if c.declared(f"products[{i}].{k}")]
            yield Hit(f"products[{i}].{flags[0]}" if len(flags) == 1 else f"products[{i}]", *c.say("SEL-1", name=product.name))


@check("SEL-2", WARNING, "a product declares fewer than 2 of the 5 selection criteria")
def too_few_criteria(c: Context) -> Iterator[Hit]:
    for i, product in enumerate(c.campaign.products):
        if len(product.criteria) < MIN_CRITERIA:
            path = f"products[{i}].criteria"
            listed = c.join(product.criteria) or c.word("none_declared")
            message = c.say("SEL-2", name=product.name, count=len(product.criteria), listed=listed, least=MIN_CRITERIA)
            yield Hit(path if c.declared(path) else f"products[{i}]", *message)


@check("SEL-3", ERROR, "the group price is not below a listed market or platform price")
def price_not_below_reference(c: Context) -> Iterator[Hit]:
    currency = c.campaign.currency
    for i, product in enumerate(c.campaign.products):
        beaten_by = [(where, price) for where, price in product.reference_prices if product.price >= price]
        if beaten_by:
            shown = c.join(f"{where or c.word('market_price')} {money(price, currency)}" for where, price in beaten_by)
            lowest = money(min(price for _, price in product.reference_prices), currency)
            message = c.say("SEL-3", name=product.name, price=money(product.price, currency), shown=shown, lowest=lowest)
            yield Hit(f"products[{i}].price", *message)


@check("SEL-3", INFO, "a product lists no market or platform price to compare with")
def no_reference_price(c: Context) -> Iterator[Hit]:
    for i, product in enumerate(c.campaign.products):
        if not product.reference_prices:
            yield Hit(f"products[{i}].price", *c.say("SEL-3.none", name=product.name))


@check("SEL-4", WARNING, "a lead-in product (strong_link) names no follow-up offer")
def lead_in_without_offer(c: Context) -> Iterator[Hit]:
    for i, product in enumerate(c.campaign.products):
        if "strong_link" in product.criteria and not product.linked_offer:
            yield Hit(f"products[{i}].criteria", *c.say("SEL-4", name=product.name))


@check("SEL-5", WARNING, "4 or 5 products (more than 5 is a load error)")
def many_products(c: Context) -> Iterator[Hit]:
    count = len(c.campaign.products)
    if count >= MANY_PRODUCTS:
        yield Hit("products", *c.say("SEL-5", count=count))


# -- Warm-up 预热 ---------------------------------------------------------------------------------------------------
@check("WU-1", WARNING, "the audience is far above the number of people who showed interest")
def audience_beyond_interest(c: Context) -> Iterator[Hit]:
    audience, interested = c.campaign.audience, c.campaign.interested
    more, base = AUDIENCE_PER_INTERESTED
    if audience and interested and audience * base > interested * more:
        yield Hit("audience", *c.say("WU-1", audience=audience, interested=interested, extra=audience - interested))


@check("WU-3", WARNING, "the benefit survey reads as an open question, or offers an open option")
def open_survey(c: Context) -> Iterator[Hit]:
    survey = c.campaign.survey
    if _reads_open(survey.question, OPEN_QUESTION_WORDS, OPEN_QUESTION_WORDS_EN):
        yield Hit("survey.question", *c.say("WU-3.question", question=c.word("quote", text=survey.question)))
    for i, option in enumerate(survey.options):
        if _reads_open(option, OPEN_OPTION_WORDS, OPEN_OPTION_WORDS_EN):
            path = f"survey.options[{i}]"
            yield Hit(path if c.declared(path) else "survey.options", *c.say("WU-3.option", option=c.word("quote", text=option)))


def _reads_open(text: str, words: tuple[str, ...], english: tuple[str, ...]) -> bool:
    lowered = text.lower()
    return any(w in text for w in words) or any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in english)


@check("WU-11", ERROR, "a referral drive is configured")
def referral_drive(c: Context) -> Iterator[Hit]:
    if c.campaign.referral:
        yield Hit("referral", *c.say("WU-11"), at_key=True)


# -- In the group 社群氛围 ------------------------------------------------------------------------------------------
@check("GR-3", WARNING, "the group size is far from about 120")
def group_size(c: Context) -> Iterator[Hit]:
    size, (low, high) = c.campaign.group.size, GROUP_SIZE
    if not low <= size <= high:
        why = c.word("too_small_group" if size < low else "too_big_group")
        audience = c.campaign.audience
        groups = c.word("groups_for", groups=math.ceil(audience / 120), audience=audience) if audience else ""
        yield Hit("group.size", *c.say("GR-3", size=size, why=why, groups=groups))


@check("GR-5", WARNING, "helpers per group outside 5–10")
def helpers_per_group(c: Context) -> Iterator[Hit]:
    helpers, (low, high) = c.campaign.group.helpers, HELPERS
    if helpers < low:
        why = c.word("too_few_helpers")
    elif helpers > high:
        why = c.word("too_many_helpers")
    else:
        return
    path = "group.helpers"
    yield Hit(path if c.declared(path) else "group", *c.say("GR-5", helpers=helpers, why=why, low=low, high=high))


@check("GR-8", WARNING, "the sale window is too short to introduce every product and run its chain")
def window_too_short(c: Context) -> Iterator[Hit]:
    count, duration = len(c.campaign.products), c.campaign.duration
    needed = count * (INTRO_MAX + CHAIN_MIN) + LAST_CALL
    if duration < needed:
        lengths = {k: _length(v, c.language) for k, v in (("length", duration), ("intro", INTRO_MAX), ("chain", CHAIN_MIN))}
        lengths |= {"last": _length(LAST_CALL, c.language), "needed": _length(needed, c.language)}
        yield Hit("duration" if c.declared("duration") else "products", *c.say("GR-8", count=count, **lengths))


@check("GR-9", WARNING, "no `payment`: the chain cannot tell buyers how to pay")
def payment_missing(c: Context) -> Iterator[Hit]:
    if c.campaign.payment is None:
        yield Hit("", *c.say("GR-9"))


@check("GR-11", WARNING, "stock out of scale with the audience (200–500 per product, scaled to the participants)")
def stock_out_of_scale(c: Context) -> Iterator[Hit]:
    audience, (low, high) = c.campaign.audience, STOCK_BAND
    for i, product in enumerate(c.campaign.products):
        stock, path = product.stock, f"products[{i}].stock"
        if stock > high and (audience is None or stock > audience * STOCK_PER_MEMBER_MAX):
            if audience is None:
                yield Hit(path, *c.say("GR-11.large", name=product.name, stock=stock, low=low, high=high))
            else:
                top = max(high, audience * STOCK_PER_MEMBER_MAX)
                values = {"name": product.name, "stock": stock, "audience": audience, "per_member": STOCK_PER_MEMBER_MAX}
                yield Hit(path, *c.say("GR-11.large_for_audience", low=low, high=top, **values))
        elif audience is not None and stock < low and stock * MEMBERS_PER_UNIT_MAX < audience:
            least = min(low, math.ceil(audience / MEMBERS_PER_UNIT_MAX))
            yield Hit(path, *c.say("GR-11.small", name=product.name, stock=stock, audience=audience, least=least))


@check("GR-12", WARNING, "a sale longer than about 30 minutes")
def sale_too_long(c: Context) -> Iterator[Hit]:
    duration = c.campaign.duration
    if duration > SALE_LENGTH_MAX:
        yield Hit("duration", *c.say("GR-12", length=_length(duration, c.language)))


@check("GR-14", WARNING, "a tier above what the audience can plausibly buy")
def tier_out_of_reach(c: Context) -> Iterator[Hit]:
    audience = c.campaign.audience
    if audience is None:
        return  # without an audience there is nothing to measure reach against (tiers above stock: a load error)
    per_member = min(len(c.campaign.products), TIER_UNITS_PER_MEMBER_MAX)
    reachable = audience * per_member
    for i, tier in enumerate(c.campaign.tiers):
        if tier.at > reachable:
            each = c.word("one_unit_each") if per_member == 1 else c.word("units_each", n=per_member)
            yield Hit(f"tiers[{i}].at", *c.say("GR-14", at=tier.at, audience=audience, each=each, reachable=reachable))


# -- Wrap-up 收尾 ---------------------------------------------------------------------------------------------------
@check("END-1", ERROR, "an extension (extra units or time after the end) is configured")
def extension_configured(c: Context) -> Iterator[Hit]:
    if c.campaign.extension:
        yield Hit("extension", *c.say("END-1"), at_key=True)


@check("END-3", WARNING, "more than one wrap-up action")
def many_wrapup_actions(c: Context) -> Iterator[Hit]:
    actions = [a for a in c.campaign.wrapup if a != "none"]
    if len(actions) > 1:
        yield Hit("wrapup", *c.say("END-3", count=len(actions), actions=c.join(actions), first=actions[0]))


# -- The words: advertising law and WeChat (AD) -----------------------------------------------------------------------
# The word lists are data (templates/compliance.*.yml, read by compliance.py); the rendered copy is checked by
# compliance.copy_findings when a plan is written.
@check("AD-1", ERROR, "an absolute claim (最好, 全网最低, 第一, 100% ...) in a text that will be published")
def absolute_claims(c: Context) -> Iterator[Hit]:
    yield from _word_hits(c, "AD-1")


@check("AD-2", WARNING, "a reference price presented as the seller's own (原价, 日常价) when the file does not say it is")
def own_price_claims(c: Context) -> Iterator[Hit]:
    from .compliance import says_own_price

    products = c.campaign.products
    for hit in _word_hits(c, "AD-2"):
        index = re.match(r"products\[(\d+)\]", hit.path)
        owner = [products[int(index[1])]] if index else products  # a product's own text: its own label; else any
        if not any(says_own_price(p) for p in owner):
            yield hit


@check("AD-3", WARNING, "a reward for sharing, forwarding or collecting likes (转发领, 集赞)")
def sharing_rewards(c: Context) -> Iterator[Hit]:
    yield from _word_hits(c, "AD-3")


@check("AD-4", WARNING, "a health, medical or efficacy claim (治疗, 降血压, 美白 ...)")
def health_claims(c: Context) -> Iterator[Hit]:
    yield from _word_hits(c, "AD-4")


def _word_hits(c: Context, code: str) -> Iterator[Hit]:
    from .compliance import word_message

    for path, text, hits in c.published_words:
        for hit in hits:
            if hit.code == code:
                where = path if c.declared(path) else path.rpartition("[")[0] or path
                yield Hit(where, *word_message(hit, text, c.language))


# -- The calendar (TIME, WU-2, WU-9): need `now`, except the quiet hours --------------------------------------------
@check("TIME-1", ERROR, "the sale start is already past", needs_now=True)
def start_past(c: Context) -> Iterator[Hit]:
    campaign, now = c.campaign, c.now
    assert now is not None
    if campaign.start <= now:
        start, here = _local(campaign.start, campaign), _local(now, campaign)
        standard, compressed = _earliest_start(campaign, now, False), _earliest_start(campaign, now, True)
        yield Hit("start", *c.say("TIME-1", start=start, zone=campaign.timezone, now=here, standard=standard, compressed=compressed))


@check("WU-2", WARNING, "too late for the standard 5-day script (the compressed one still fits)", needs_now=True)
def too_late_for_standard(c: Context) -> Iterator[Hit]:
    campaign, now = c.campaign, c.now
    assert now is not None
    if c.compressed or campaign.start <= now or _warmup_not_begun(campaign, now):
        return  # the compressed script was chosen; a start already past is TIME-1
    survey = first_post(c.standard)
    if survey < now <= first_post(c.compressed_schedule):
        due, here, standard = _local(survey, campaign), _local(now, campaign), _earliest_start(campaign, now, False)
        yield Hit("start", *c.say("WU-2", due=due, now=here, zone=campaign.timezone, standard=standard))


@check("WU-9", ERROR, "too late even for the compressed 3-day script", needs_now=True)
def too_late_for_compressed(c: Context) -> Iterator[Hit]:
    campaign, now = c.campaign, c.now
    assert now is not None
    if campaign.start <= now or _warmup_not_begun(campaign, now):
        return
    survey = first_post(c.compressed_schedule)
    if survey < now:
        due, here = _local(survey, campaign), _local(now, campaign)
        standard, compressed = _earliest_start(campaign, now, False), _earliest_start(campaign, now, True)
        yield Hit("start", *c.say("WU-9", due=due, now=here, zone=campaign.timezone, standard=standard, compressed=compressed))


@check("TIME-2", WARNING, "a post or group event falls in the quiet hours (default 23:00–07:00)")
def night_events(c: Context) -> Iterator[Hit]:
    campaign = c.campaign
    quiet = campaign.quiet_hours
    at_night: dict[str, list[tuple[Event, datetime]]] = {}
    for event in c.schedule.events:
        if event.at is not None:
            local = event.at.astimezone(campaign.zone)
            if quiet.contains(local.time()):
                at_night.setdefault(_night_source(c, event, local), []).append((event, local))
    if not at_night:
        return
    from .labels import Describer, load_labels
    from .records import replace

    describe = Describer(replace(campaign, language=c.language), load_labels(c.language))  # the findings' language
    hours = f"{quiet.start:%H:%M}–{quiet.end:%H:%M}"
    script = c.word("compressed_script" if c.runs_compressed else "standard_script")
    for path, items in at_night.items():
        shown = c.word("item_sep").join(
            c.word("event_at", title=describe.title(e), time=f"{local:%Y-%m-%d %H:%M}") for e, local in items[:3]
        )
        more = c.word("and_more", n=len(items) - 3) if len(items) > 3 else ""
        noun = c.word("event_falls" if len(items) == 1 else "events_fall")
        values = {"count": len(items), "noun": noun, "hours": hours, "zone": campaign.timezone, "script": script}
        yield Hit(path, c.say("TIME-2", shown=shown, more=more, **values)[0], _night_fix(c, path))


def _night_source(c: Context, event: Event, local: datetime) -> str:
    """The setting that put an event at night: a `times` slot for day-dated posts, else the sale start."""
    times = c.campaign.times
    if event.kind in _DAY_POSTS:
        for slot in ("morning", "afternoon", "evening"):
            if local.time() == getattr(times, slot):
                path = f"times.{slot}"
                return path if c.declared(path) else ("quiet_hours" if c.declared("quiet_hours") else "times")
    return "start"


def _night_fix(c: Context, path: str) -> str:
    quiet = c.campaign.quiet_hours
    awake = c.say("TIME-2.awake", end=f"{quiet.end:%H:%M}", start=f"{quiet.start:%H:%M}")[1]
    if path != "start":
        return c.say("TIME-2.posts", awake=awake)[1]
    # The start drives launch posts from S−6h to the battle report after the sale: find the starts that keep them awake.
    start = c.campaign.start
    tied = [e.at for e in c.schedule.events if e.at is not None and e.kind not in _DAY_POSTS]
    before, after = start - min(tied), max(tied) - start
    if quiet.start > quiet.end:
        first, last = _shift(quiet.end, before), _shift(quiet.start, -after)
        if first is not None and last is not None and first <= last:
            return c.say("TIME-2.start_between", first=f"{first:%H:%M}", last=f"{last:%H:%M}", awake=awake)[1]
    return c.say("TIME-2.start", awake=awake)[1]


def _shift(clock: time, delta: timedelta) -> time | None:
    """A clock time moved by delta within the same day; None when it would leave the day."""
    moved = datetime.combine(date(2000, 1, 2), clock) + delta
    return moved.time() if moved.date() == date(2000, 1, 2) else None


def _warmup_not_begun(campaign: Campaign, now: datetime) -> bool:
    """Day 1 of the standard script is at most 5 calendar days before S: earlier than 6 days out nothing is late yet.

    Saves building two schedules per campaign in the common case (a campaign planned ahead)."""
    return now < campaign.start - timedelta(days=WARMUP_DAYS[False] + 2)


def _earliest_start(campaign: Campaign, now: datetime, compressed: bool) -> str:
    """The first sale date, at the same clock time, whose day-1 survey morning is still ahead of `now`."""
    local_now = now.astimezone(campaign.zone)
    survey_day = local_now.date() if local_now.time() <= campaign.times.morning else local_now.date() + timedelta(days=1)
    sale_day = survey_day + timedelta(days=WARMUP_DAYS[compressed])
    return f"{sale_day.isoformat()} {campaign.start:%H:%M}"


def _local(moment: datetime, campaign: Campaign) -> str:
    return f"{moment.astimezone(campaign.zone):%Y-%m-%d %H:%M}"


def _length(delta: timedelta, language: str = "en") -> str:
    hours, minutes = divmod(int(delta.total_seconds() // 60), 60)
    if language == "zh":
        return (f"{hours}小时" if hours else "") + (f"{minutes}分钟" if minutes or not hours else "")
    return (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes or not hours else "")


# -- The `checks:` section (CHK) -------------------------------------------------------------------------------------
@check("CHK-1", WARNING, "`checks: ignore` names a code that has no check")
def unknown_ignored_code(c: Context) -> Iterator[Hit]:
    known = known_codes()
    for i, entry in enumerate(c.campaign.ignored_checks):
        for code in (part.strip().upper() for part in entry.split(",")):
            if code and code not in known and code not in FAMILIES:
                path = f"checks.ignore[{i}]"
                import difflib  # only for a suggestion

                close = difflib.get_close_matches(code, known, n=1, cutoff=0.6)
                message, fix = c.say("CHK-1", code=code)
                if close:
                    fix = c.say("CHK-1.close", close=close[0])[1]
                yield Hit(path if c.declared(path) else "checks.ignore", message, fix)


# -- The entry point -------------------------------------------------------------------------------------------------
def lint(
    campaign: Campaign,
    now: datetime | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    compressed: bool | None = None,
    language: str | None = None,
    schedules: dict[bool, Schedule] | None = None,
) -> list[Finding]:
    """Every finding of the method's checks on one loaded campaign, in file order (line, column, code).

    - `now`: the moment "already past" and "too late" are measured from. None skips the checks that need it
      (TIME-1, WU-2, WU-9), so the result depends on the file alone: this is what `plan` and `timeline` pass, and a
      campaign whose start is long past then yields no time findings. An aware datetime is an instant; a naive one
      is a wall time in the campaign's zone (a time skipped by a DST change is read with the offset before it).
    - `select`: codes to run (None: all); `ignore`: codes not to run. Both take codes (GR-5), comma lists
      ("GR-3,GR-5") and families (SEL, WU, GR, END, AD, TIME, CHK), case-insensitive; an unknown code raises
      UnknownCodeError (a ValueError). The file's own `checks: {ignore: [...]}` always applies as well; an unknown
      code there is a CHK-1 finding, never an exception.
    - `compressed`: the warm-up script that will run, for the quiet-hours check (TIME-2) and WU-2: True compressed
      (WU-9), False standard (WU-2), None the standard one unless `now` says it is too late for it.
    - `language`: what the messages and fixes speak (zh, en); None: the campaign's own. Codes and locations are the
      same in both.
    - `schedules`: a dict shared with the caller, schedules by `compressed` (True: compressed): those in it are used,
      those built here are put in it, so a caller that renders the campaign next does not build its schedule again.

    Pure: no I/O, no clock, nothing printed; the campaign must come from the loader (its `source` locates findings).
    Load problems are not findings of lint(): the loader raises CampaignError for them (see check_files.py).
    """
    chosen = active_codes(campaign, select, ignore)
    if now is not None:
        now = (now if now.tzinfo is not None else now.replace(tzinfo=campaign.zone)).astimezone(timezone.utc)
    context = Context(campaign, now, compressed, language, schedules)
    found = [
        finding
        for registered in REGISTRY
        if registered.code in chosen and (now is not None or not registered.needs_now)
        for finding in registered.findings(context)
    ]
    return sorted(found, key=lambda f: f.sort_key)


def active_codes(campaign: Campaign, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None) -> frozenset[str]:
    """The codes that run for this campaign: `select` (None: all) less `ignore` and the file's `checks: ignore`."""
    chosen = set(known_codes() if select is None else expand_codes(select))
    chosen -= expand_codes(ignore or ())
    return frozenset(chosen - _file_ignores(campaign))


def _file_ignores(campaign: Campaign) -> frozenset[str]:
    codes: set[str] = set()
    for entry in campaign.ignored_checks:
        for part in entry.split(","):
            try:
                codes |= expand_codes([part])
            except UnknownCodeError:
                continue  # reported by CHK-1
    return frozenset(codes)
