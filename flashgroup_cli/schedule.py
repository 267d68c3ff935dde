"""The schedule engine: a validated campaign in, every dated action of the method out.

Pure: no I/O, no clock, no templates. Instants are computed in UTC ("6 hours before" is absolute time, even across a
DST change); day-dated posts are wall-clock times on calendar days in the campaign's own zone.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from .events import Event, Schedule, Trigger
from .model import Campaign

STANDARD = "standard"
COMPRESSED = "compressed"

LAUNCH_OFFSETS = (timedelta(hours=6), timedelta(hours=2), timedelta(minutes=30))  # WU-7
INVITE_BEFORE = timedelta(hours=2)  # GR-1
ANNOUNCEMENT_EVERY = timedelta(minutes=30)  # GR-2
SELF_COMMENT_BEFORE = timedelta(hours=1)  # WU-8: between the S−2h and S−30m posts
RED_ENVELOPES_BEFORE = timedelta(minutes=10)  # GR-6
RULES_BEFORE = timedelta(minutes=5)  # GR-7: right after the envelopes
INTRO_MAX = timedelta(minutes=3)  # GR-8
PRODUCT_SLOT_MAX = timedelta(minutes=6)  # intro + chain before the next product
LAST_CALL = timedelta(minutes=5)  # GR-13: no product starts in the last 5 minutes
COUNTDOWNS = (timedelta(minutes=10), timedelta(minutes=5), timedelta(minutes=1))  # GR-13
WRAPUP_AFTER = timedelta(minutes=2)  # END-3
DISSOLVE_AFTER = timedelta(minutes=15)  # END-2: time for the one wrap-up action
DISSOLVE_AFTER_NO_WRAPUP = timedelta(minutes=5)
BATTLE_REPORT_AFTER_DISSOLVE = timedelta(minutes=5)  # END-4: right after dissolving
LOW_STOCK = 20  # GR-13: "only 20 left!"
MAX_SILENCE = timedelta(minutes=5)  # no stretch longer than this without a group message between S and E
CUE_SPACING = timedelta(minutes=4)  # filler cues are spaced at most this far apart, so minute rounding stays within 5


def build_schedule(campaign: Campaign, *, compressed: bool = False) -> Schedule:
    """Every event of the campaign, timed events in time order; trigger cues sit beside the sale they belong to."""
    planner = _Planner(campaign, compressed)
    warmup = planner.compressed_warmup() if compressed else planner.standard_warmup()
    events = warmup + planner.launch_day() + planner.sale() + planner.wrapup()
    ordered = sorted(enumerate(events), key=lambda pair: (planner.sort_time[id(pair[1])], pair[0]))
    final = tuple(_numbered([e for _, e in ordered]))
    _check_order(campaign, final, compressed)
    return Schedule(COMPRESSED if compressed else STANDARD, final, group_names(campaign))


def _check_order(campaign: Campaign, events: tuple[Event, ...], compressed: bool) -> None:
    """WU-5 < WU-6 < WU-7 and END-5 progress < reviews, whatever the start and `times`: a file whose times make that
    impossible (a polishing post after the first launch post) is a located error on `times`, never a wrong plan."""
    from .errors import CampaignError, Problem

    def at(kind: str) -> list[datetime]:
        return [e.at for e in events if e.kind == kind and e.at is not None]

    polishing, teaser, launch = at("moments.polishing"), at("moments.teaser"), at("moments.launch")
    progress, reviews = at("moments.progress"), at("moments.reviews")
    script = "compressed 3-day" if compressed else "standard 5-day"
    wrong = None
    if polishing and launch and min(polishing) >= min(launch):
        first = min(launch).astimezone(campaign.zone)
        wrong = (
            f"with the {script} script the first launch post (WU-7) is at {first:%m-%d %H:%M}, before the polishing post "
            f"(WU-5) at {min(polishing).astimezone(campaign.zone):%m-%d %H:%M}; set times.afternoon earlier or move the start"
        )
    elif teaser and launch and polishing and not max(polishing) < min(teaser) < min(launch):
        wrong = f"with the {script} script the teaser (WU-6) cannot fall between the polishing post and the first launch post"
    elif progress and reviews and not max(progress) < min(reviews):
        wrong = "the reviews post (END-5) would come before the last progress post"
    if wrong:
        raise CampaignError([Problem(campaign.source.at("times"), "times", wrong, "WU-6")])


def group_names(campaign: Campaign) -> tuple[str, ...]:
    """GR-3: about 120 per group, so ceil(audience / size) groups; GR-4: numbers may skip (1, 3, 5...)."""
    count = math.ceil(campaign.audience / campaign.group.size) if campaign.audience else 1
    step = 2 if campaign.group.skip_numbers else 1
    # `{n}` is the only placeholder, substituted as text: never str.format on user text ('{0}', '{n.__class__}').
    return tuple(campaign.group.name.replace("{n}", str(1 + i * step)) for i in range(count))


def wall_time(day: date, clock: time, zone: tzinfo) -> datetime:
    """The instant (UTC) of a wall-clock time on a calendar day in the zone.

    A time skipped by a DST change (02:30 on the spring-forward night) maps, by PEP 495's fold=0, to the instant an
    hour later on the new clock (03:30); a repeated time takes its first occurrence.
    """
    return datetime.combine(day, clock, tzinfo=zone).astimezone(timezone.utc)


class _Planner:
    def __init__(self, campaign: Campaign, compressed: bool) -> None:
        self.c = campaign
        self.sort_time: dict[int, datetime] = {}  # by id(event): where each event goes in the final list
        self.launch_day_number = 3 if compressed else 5
        self.start = campaign.start.astimezone(timezone.utc)  # S
        self.end = self.start + campaign.duration  # E
        self.sale_day = campaign.start.date()  # S's date in the campaign's zone
        self.launch_first = self.start - LAUNCH_OFFSETS[0]

    def at_day(self, days_before: int, clock: time) -> datetime:
        return wall_time(self.sale_day - timedelta(days=days_before), clock, self.c.zone)

    def event(self, kind: str, at: datetime | None, rules: tuple[str, ...], *, sort_at: datetime | None = None, **kw: object) -> Event:
        """An event; a trigger cue (no `at`) is placed in the list at `sort_at`, beside the sale it belongs to."""
        made = Event(kind, at, rules, **kw)  # type: ignore[arg-type]
        self.sort_time[id(made)] = at or sort_at  # type: ignore[assignment]
        return made

    # -- warm-up: the Moments script (WU-2 .. WU-9) -----------------------------------------------------------
    def standard_warmup(self) -> list[Event]:
        """WU-2: 5 days, one step a day, "4+1"; day 1 is four calendar days before S's date."""
        t = self.c.times
        survey = self.at_day(4, t.morning)
        results = self.at_day(3, t.morning)
        polishing = [self.at_day(2, t.afternoon), self.at_day(2, t.evening)]  # WU-5: 1–2 posts
        teaser = self._teaser(self.at_day(1, t.evening), polishing[0])
        return self._warmup_posts(survey, results, polishing, teaser, days=(1, 2, 3, 4))

    def compressed_warmup(self) -> list[Event]:
        """WU-9: day 1 survey in the morning and results in the afternoon; day 2 polishing; day 3 teaser and launch."""
        t = self.c.times
        survey = self.at_day(2, t.morning)
        results = self.at_day(2, t.afternoon)
        polishing = [self.at_day(1, t.afternoon), self.at_day(1, t.evening)]
        teaser = self._teaser(self.at_day(0, t.morning), polishing[0])
        return self._warmup_posts(survey, results, polishing, teaser, days=(1, 1, 2, 3))

    def _teaser(self, wanted: datetime, first_polishing: datetime) -> datetime:
        """WU-6 before WU-7: a teaser that would land after (or just before) the first launch post moves ahead of it.

        It stays on the first launch post's calendar day where it can (an early start puts that post at night), and
        always after the polishing post.
        """
        if wanted <= self.launch_first - timedelta(minutes=30):
            return wanted
        moved = self.launch_first - timedelta(hours=1)
        launch_local = self.launch_first.astimezone(self.c.zone)
        midnight = wall_time(launch_local.date(), time(0, 0), self.c.zone)
        if moved < midnight < self.launch_first:
            moved = midnight
        if moved <= first_polishing:
            moved = first_polishing + (self.launch_first - first_polishing) / 2
        return moved

    def _warmup_posts(
        self, survey: datetime, results: datetime, polishing: list[datetime], teaser: datetime, days: tuple[int, int, int, int]
    ) -> list[Event]:
        polishing = [p for p in polishing if p < teaser] or polishing[:1]
        events = [
            self.event("moments.survey", survey, ("WU-2", "WU-3", "WU-8"), day=days[0]),
            self.event("moments.results", results, ("WU-2", "WU-4", "WU-8"), day=days[1]),
        ]
        events += [self.event("moments.polishing", p, ("WU-2", "WU-5", "WU-8"), day=days[2]) for p in polishing]
        events.append(self.event("moments.teaser", teaser, ("WU-2", "WU-6", "WU-8"), day=days[3]))
        # WU-10: the owned channels carry the same announcement as the teaser.
        events += [self.event("channels.announcement", teaser, ("WU-10",), channel_name=ch, day=days[3]) for ch in self.c.channels]
        return events

    # -- launch day: Moments launch posts and the group filling up (WU-7, WU-8, GR-1, GR-2) ---------------------
    def launch_day(self) -> list[Event]:
        s = self.start
        events = [
            self.event(
                "moments.launch", s - off, ("WU-7",), day=self.launch_day_number, details={"minutes_before": int(off.total_seconds() // 60)}
            )
            for off in LAUNCH_OFFSETS
        ]
        events.append(self.event("moments.self_comment", s - SELF_COMMENT_BEFORE, ("WU-8",), day=self.launch_day_number))
        events.append(self.event("group.invite", s - INVITE_BEFORE, ("GR-1", "WU-1", "WU-10")))
        at = s - INVITE_BEFORE
        while at < s:
            events.append(self.event("group.announcement", at, ("GR-2",), details={"minutes_before": int((s - at).total_seconds() // 60)}))
            at += ANNOUNCEMENT_EVERY
        events.append(self.event("group.red_envelopes", s - RED_ENVELOPES_BEFORE, ("GR-6",)))
        events.append(self.event("group.rules", s - RULES_BEFORE, ("GR-7",)))
        return events

    # -- the sale: S to E (GR-8 .. GR-14, END-1) ------------------------------------------------------------------
    def sale(self) -> list[Event]:
        c, s, e = self.c, self.start, self.end
        count = len(c.products)
        # GR-8: each product gets at most 3 minutes of introduction, then its chain; every intro starts before E−5m.
        slot = min(PRODUCT_SLOT_MAX, (c.duration - LAST_CALL) / count)
        if slot >= timedelta(minutes=1):
            slot = timedelta(minutes=slot.seconds // 60)
        intro_length = min(INTRO_MAX, slot / 2)
        events: list[Event] = []
        chains: list[datetime] = []
        for index, product in enumerate(c.products):
            intro = s + slot * index
            chain = intro + intro_length
            chains.append(chain)
            events.append(
                self.event(
                    "group.product_intro",
                    intro,
                    ("GR-8", "SEL-3"),
                    product=index,
                    details={"minutes": max(1, int(intro_length.total_seconds() // 60))},
                )
            )
            events.append(self.event("group.chain", chain, ("GR-9", "GR-5"), product=index))
            for trigger in stock_triggers(index, product.stock):
                events.append(self.event("group.stock_update", None, ("GR-13", "GR-11"), product=index, trigger=trigger, sort_at=chain))
        events.append(self.event("group.order_screenshots", chains[0] + timedelta(minutes=1), ("GR-10",)))
        for index, tier in enumerate(c.tiers):
            events.append(
                self.event(
                    "group.tier_reached",
                    None,
                    ("GR-14",),
                    trigger=Trigger("orders_reached", tier.at),
                    sort_at=chains[-1],
                    details={"tier": index},
                )
            )
        for before in COUNTDOWNS:
            if e - before > chains[-1] or before == LAST_CALL:
                events.append(
                    self.event(
                        "group.countdown", e - before, ("GR-13", "GR-12"), details={"minutes_left": int(before.total_seconds() // 60)}
                    )
                )
        events.append(self.event("group.close", e, ("END-1", "GR-12")))
        return events + self.in_sale_cues(events, chains)

    def in_sale_cues(self, sale: list[Event], chains: list[datetime]) -> list[Event]:
        """No silence longer than MAX_SILENCE in the group between S and E: each longer gap between the timed sale
        messages gets cues, at most CUE_SPACING apart, chosen for the product on sale at that moment: a screenshot
        prompt (GR-10), the answer to its typical worry (GR-9), buyers' photos (GR-10), then a recap of what is on sale
        (GR-13). Each product's cue is used once; the recap may repeat."""
        timed = sorted({ev.at for ev in sale if ev.at is not None and self.start <= ev.at <= self.end})
        used: set[tuple[str, int]] = {("group.screenshot_nudge", 0)}  # product 1 has group.order_screenshots
        cues: list[Event] = []
        for product, chain in enumerate(chains[1:], start=1):  # GR-10: a screenshot prompt after every chain
            at = chain + timedelta(minutes=1)
            if all(t <= chain or t > at for t in timed) and at < self.end:
                used.add(("group.screenshot_nudge", product))
                cues.append(self.event("group.screenshot_nudge", at, ("GR-10",), product=product))
        times = sorted(set(timed) | {cue.at for cue in cues if cue.at is not None})
        for before, after in zip(times, times[1:]):
            gap = after - before
            if gap <= MAX_SILENCE:
                continue
            count = math.ceil(gap / CUE_SPACING) - 1
            for i in range(1, count + 1):
                at = before + gap * i / (count + 1)
                at -= timedelta(seconds=at.second, microseconds=at.microsecond)  # on the minute
                product = max(j for j, chain in enumerate(chains) if chain <= at)
                cues.append(self._cue(at, product, used))
        return cues

    def _cue(self, at: datetime, product: int, used: set[tuple[str, int]]) -> Event:
        worry = self.c.products[product].worry is not None
        for kind, rules, fits in (
            ("group.screenshot_nudge", ("GR-10",), True),
            ("group.faq", ("GR-9",), worry),
            ("group.buyer_photos", ("GR-10",), True),
        ):
            if fits and (kind, product) not in used:
                used.add((kind, product))
                return self.event(kind, at, rules, product=product)
        return self.event("group.recap", at, ("GR-13",), details={"on_sale": product + 1})

    def progress(self) -> list[tuple[str, datetime]]:
        """END-5 progress posts, by how buyers get their order: courier (packing through the night, then shipped), local
        delivery (out for delivery after the sale, then delivered), pick-up (ready when pick-up opens, then a reminder)."""
        t, kind = self.c.times, self.c.fulfilment.kind
        if kind == "pickup":
            opens = pickup_opens(self.c)
            assert opens is not None
            opens_day = opens.astimezone(self.c.zone).date()
            reminder = wall_time(opens_day, t.evening, self.c.zone)
            if reminder < opens + timedelta(hours=2):
                reminder = wall_time(opens_day + timedelta(days=1), t.morning, self.c.zone)
            return [("pickup_ready", opens), ("pickup_reminder", reminder)]
        if kind == "local_delivery":
            return [("delivering", self.end + timedelta(minutes=40)), ("delivered", self.at_day(-1, t.evening))]
        return [("packing", self.at_day(-1, t.morning)), ("shipped", self.at_day(-2, t.afternoon))]

    # -- wrap-up (END-2 .. END-5) -----------------------------------------------------------------------------------
    def wrapup(self) -> list[Event]:
        c, e = self.c, self.end
        events = []
        if c.wrapup_action != "none":
            # SEL-4 only when the wrap-up is the lead-in's follow-up offer (the member card names linked_offer)
            follow_up = c.wrapup_action == "member_card" and any(p.linked_offer for p in c.products)
            rules = ("END-3", "SEL-4") if follow_up else ("END-3",)
            events.append(self.event("group.wrapup", e + WRAPUP_AFTER, rules, details={"action": c.wrapup_action}))
            dissolve = e + DISSOLVE_AFTER
        else:
            dissolve = e + DISSOLVE_AFTER_NO_WRAPUP
        events.append(self.event("group.dissolve", dissolve, ("END-2",)))
        events.append(self.event("moments.battle_report", dissolve + BATTLE_REPORT_AFTER_DISSOLVE, ("END-4",)))
        progress = self.progress()
        events += [self.event("moments.progress", when, ("END-5",), details={"stage": stage}) for stage, when in progress]
        events.append(self.event("moments.reviews", self._reviews(progress), ("END-5",)))
        return events

    def _reviews(self, progress: list[tuple[str, datetime]]) -> datetime:
        """END-5: reviews `reviews_after_days` after the sale in the evening, but never before the last progress post
        (shipped, delivered, pick-up reminder): a buyer reviews what has arrived. Too early, it moves to the first
        evening after that post."""
        t = self.c.times
        wanted = self.at_day(-self.c.reviews_after_days, t.evening)
        last = max((when for _, when in progress), default=self.end)
        if wanted > last:
            return wanted
        day = last.astimezone(self.c.zone).date()
        evening = wall_time(day, t.evening, self.c.zone)
        return evening if evening > last else wall_time(day + timedelta(days=1), t.evening, self.c.zone)


def pickup_opens(campaign: Campaign) -> datetime | None:
    """Pick-up: the first `from` time after the sale ends (same day when the sale ends before it), as an instant (UTC)."""
    f = campaign.fulfilment
    if f.kind != "pickup" or f.opens is None:
        return None
    end_local = campaign.sale_end
    moment = wall_time(end_local.date(), f.opens, campaign.zone)
    if moment < end_local.astimezone(timezone.utc):
        moment = wall_time(end_local.date() + timedelta(days=1), f.opens, campaign.zone)
    return moment


def stock_triggers(product: int, stock: int) -> list[Trigger]:
    """GR-13: stock updates fire on what is left — half gone, the last 20 (or a fifth of a small stock), sold out."""
    half = stock - stock // 2
    low = min(LOW_STOCK, stock // 5)
    left = sorted({n for n in (half, low) if 0 < n < stock}, reverse=True)
    return [Trigger("stock_left", n, product) for n in left] + [Trigger("sold_out", 0, product)]


def _numbered(events: list[Event]) -> list[Event]:
    """Number the events of each kind (launch 1/3 ...; WU-10 owned-channel announcements 1/2, 2/2 in the file's order)."""
    from .records import replace

    totals: dict[str, int] = {}
    for event in events:
        totals[event.kind] = totals.get(event.kind, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for event in events:
        seen[event.kind] = seen.get(event.kind, 0) + 1
        out.append(replace(event, step=seen[event.kind], of=totals[event.kind]))
    return out
