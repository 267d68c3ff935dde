"""The plan as an RFC 5545 calendar: one event per timed action, an alarm before each, DST right in any calendar app.

Written with the icalendar library (never by hand): it folds lines at 75 octets, uses CRLF and escapes text.

Choices an operator (and a test) can rely on:
- Times carry TZID = the campaign's zone, and the calendar carries that zone's VTIMEZONE (one block per offset change
  over 2020–2035 or the campaign's years, read alike by every parser, irregular zones such as Casablanca included), so a calendar app on a phone
  in another zone, or a warm-up that crosses a DST change, still shows the right instant. The one exception is a
  wall time the zone repeats (the hour after clocks go back) at its second occurrence: RFC 5545 reads a repeated wall
  time as the first one, so such an event is written in UTC instead.
- UIDs name the sale and the action, never a time or the file: `<sale>-<kind>-<step>[-<channel>]@flashgroup`. The sale
  part is the file's `id:` when it has one (set it once, keep it across revisions, never give two sales the same), else
  brand and start date (`sale-2026-12-12-<digest of brand and date>`): saving a revision under another file name or
  fixing a typo in `name` updates the events; moving the sale to another day without an `id:` starts a new set.
- Revisions: DTSTAMP is when the campaign file was last saved (its modification time, to the second, in UTC;
  SOURCE_DATE_EPOCH overrides it), and SEQUENCE is the file's `revision:` when set, else the minutes from 2020-01-01
  UTC to that save. A re-saved file is newer to every client; the same file (same bytes, same save time) gives the
  same output bytes.
- Actions the campaign could have but no longer has (a dropped product's introduction and chain, a second polishing
  post, a countdown, an owned channel taken out) are written as cancelled events (STATUS:CANCELLED, no alarm), so a
  calendar that imported an earlier revision takes them out.
- Alarms: Moments posts ring `--remind` ahead (default 10 minutes), in-group cues at their time, and no alarm rings
  before the action ahead of it, so alarms come in run-sheet order.
- Trigger cues (stock updates GR-13, tier goals GR-14) fire on sales, not on the clock, so they are not events: they
  go in the description of the sale event, the first product introduction (GR-8) at S, which the operator has open
  when the sale runs. (group.close at E would come too late to use them.)
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone

from .. import __version__
from ..campaign_file import MAX_PRODUCTS
from ..document import Document, Row
from ..events import KINDS
from ..model import CHANNELS
from ..safe_text import ics_text
from ..schedule import ANNOUNCEMENT_EVERY, COUNTDOWNS, INVITE_BEFORE, LAUNCH_OFFSETS
from .days import channel_and_title

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any

# How long each action blocks the operator's calendar. Short on purpose: the alarm is the point, and long blocks
# would overlap on sale day, where actions are minutes apart.
DURATIONS = {
    "group.invite": timedelta(minutes=30),  # GR-1: 1:1 invitations from S−2h, a stretch of work, not one message
    "moments.self_comment": timedelta(minutes=10),  # WU-8: a comment under each of the four warm-up posts
    "group.product_intro": timedelta(minutes=3),  # GR-8: at most 3 minutes per product
    "group.chain": timedelta(minutes=3),  # GR-9: until the next product's introduction
    "group.order_screenshots": timedelta(minutes=2),  # GR-10
    "group.countdown": timedelta(minutes=1),  # GR-13: one message
    "group.close": timedelta(minutes=2),  # END-1: the wrap-up follows two minutes later
    "group.wrapup": timedelta(minutes=10),  # END-3: one action before the group is dissolved
}
DEFAULT_DURATION = timedelta(minutes=5)  # a post or a group message: write, check, send
SALE_EVENT_KIND = "group.product_intro"
COLON = {"zh": "：", "en": ": "}
SUMMARY_SEPARATOR = {"zh": "·", "en": ": "}


def render_ics(doc: Document, remind: timedelta = timedelta(minutes=10)) -> str:
    """The text of a .ics file: one VEVENT per timed row, each with a display alarm (see alarm_leads), then the
    cancelled placeholders of actions this campaign no longer has."""
    calendar = _calendar(doc)
    calendar.add_component(_vtimezone(doc))
    sale_event = _sale_event_row(doc)
    live = set()
    leads = alarm_leads(doc, remind)
    for row in doc.rows:
        if row.local is not None:  # trigger cues have no clock time: they go in the sale event's description
            cues = _cues(doc) if row is sale_event else ""
            calendar.add_component(_event(doc, row, row.local, leads[id(row)], cues))
            live.add(action_id(row.event.kind, row.event.step, row.event.channel_name))
    for action in possible_actions(doc):
        if action not in live:
            calendar.add_component(_cancelled(doc, action))
    return _checked(calendar.to_ical().decode("utf-8"))


def _checked(text: str) -> str:
    """Every content line ends in CRLF and none holds a bare CR or LF (what a newline in user text would inject):
    guaranteed by ics_text and the library's escaping; checked here without `assert`, so `python -O` keeps it."""
    if "\r" in text.replace("\r\n", "") or "\n" in text.replace("\r\n", ""):
        raise RuntimeError("calendar text with a bare line break")
    return text


def _calendar(doc: Document) -> Calendar:
    campaign = doc.campaign
    calendar = Calendar()
    calendar.add("prodid", f"-//flashgroup//flashgroup {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", ics_text(campaign.name, one_line=True))  # RFC 7986; X-WR-* for the apps that predate it
    calendar.add("x-wr-calname", ics_text(campaign.name, one_line=True))
    calendar.add("x-wr-timezone", campaign.timezone)
    return calendar


# One fixed span of years for every calendar of a zone (widened for a plan outside it): vobject keeps the first
# VTIMEZONE it reads for a TZID and reuses it for every later file in the process (and calendar apps may do the
# same), so a definition cut to one plan's own span would put a later import of another year an hour off.
ZONE_YEARS = (2020, 2035)


def _vtimezone(doc: Document) -> Timezone:
    """The zone as it really is over the span: one STANDARD/DAYLIGHT block per transition."""
    instants = [row.local for row in doc.timed if row.local is not None] + [doc.campaign.start]
    return _zone_transitions(doc.campaign.zone, min(ZONE_YEARS[0], min(instants).year), max(ZONE_YEARS[1], max(instants).year + 1))


@lru_cache(maxsize=64)
def _zone_transitions(zone: ZoneInfo, first_year: int, last_year: int) -> Timezone:
    """Every change of the zone's offset from 1 January of `first_year` to the end of `last_year`, each its own block
    with a single DTSTART (no RRULE, no RDATE list), plus one block for the offset in force on 1 January.

    Not icalendar's `Timezone.from_tzinfo`: it drops short periods (Casablanca's Ramadan switches) and writes
    irregular zones (Santiago) as RDATE lists that dateutil-based readers such as vobject cut to the first date.
    Single-DTSTART blocks are read alike by every parser. Built once per zone and span for a batch; shared safely, as
    the component is only serialized after this."""
    begin = datetime(first_year, 1, 1, tzinfo=zone).astimezone(timezone.utc)
    end = datetime(last_year + 1, 1, 1, tzinfo=zone).astimezone(timezone.utc)
    component = Timezone()
    component.add("tzid", zone.key)
    component.add_component(_zone_block(zone, begin, begin.astimezone(zone), begin.astimezone(zone)))
    for instant in _transitions(zone, begin, end):
        component.add_component(_zone_block(zone, instant, (instant - timedelta(seconds=1)).astimezone(zone), instant.astimezone(zone)))
    return component


def _transitions(zone: ZoneInfo, begin: datetime, end: datetime) -> list[datetime]:
    """The UTC instants where the zone's offset (or name) changes, to the second: a day-by-day scan, then bisection."""

    def state(moment: datetime) -> tuple[Any, ...]:
        local = moment.astimezone(zone)
        return (local.utcoffset(), local.tzname())

    found = []
    moment, current = begin, state(begin)
    step = timedelta(days=2)  # no zone changes twice within two days (Ramadan switches are a month apart)
    while moment < end:
        following = moment + step
        if state(following) != current:
            low, high = moment, following
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if state(middle) == current:
                    low = middle
                else:
                    high = middle
            found.append(high)
            current = state(following)
        moment = following
    return found


def _zone_block(zone: ZoneInfo, instant: datetime, before: datetime, after: datetime) -> Any:
    """STANDARD or DAYLIGHT from `instant` on: DTSTART is the wall time there in the offset before (RFC 5545 §3.6.5)."""
    from icalendar import TimezoneDaylight, TimezoneStandard

    block = TimezoneDaylight() if after.dst() else TimezoneStandard()
    offset_before, offset_after = before.utcoffset(), after.utcoffset()
    assert offset_before is not None and offset_after is not None
    block.add("dtstart", (instant + offset_before).replace(tzinfo=None))
    block.add("tzoffsetfrom", offset_before)
    block.add("tzoffsetto", offset_after)
    block.add("tzname", after.tzname())
    return block


def _event(doc: Document, row: Row, local: datetime, lead: timedelta, cues: str) -> Event:
    summary = ics_text(_summary(doc, row), one_line=True)
    event = Event()
    event.add("uid", uid(doc, row))
    _revision(doc, event)
    event.add("dtstart", _start(local))
    event.add("duration", DURATIONS.get(row.event.kind, DEFAULT_DURATION))
    event.add("summary", summary)
    event.add("description", ics_text(_description(doc, row, cues)))
    event.add("categories", [ics_text(row.channel, one_line=True)])
    event.add_component(_alarm(summary, lead))
    return event


def alarm_leads(doc: Document, remind: timedelta) -> dict[int, timedelta]:
    """How long before each timed action (by id of its row) its alarm rings.

    Moments posts and owned-channel announcements ring `remind` ahead (time to open the app and check the post);
    in-group cues ring at their time (the operator is in the group already). A lead never reaches back past the
    action ahead of it, so alarms and actions interleave in run-sheet order: the 19:33 chain cannot ring before the
    19:25 rules. Every alarm rings at or before its action."""
    leads: dict[int, timedelta] = {}
    previous = None
    for row in doc.timed:
        assert row.local is not None
        wanted = remind if row.event.kind.startswith(AHEAD_PREFIXES) else timedelta(0)
        if previous is not None:
            wanted = min(wanted, row.local.astimezone(timezone.utc) - previous)
        leads[id(row)] = max(timedelta(0), wanted)
        previous = row.local.astimezone(timezone.utc)
    return leads


AHEAD_PREFIXES = ("moments.", "channels.")  # posts an operator prepares; group cues ring at their time


def _start(local: datetime) -> datetime:
    """The local time with its TZID, or UTC for the second pass of a repeated hour (RFC 5545 §3.3.5 reads the first)."""
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        return local.astimezone(timezone.utc)
    return local


def _alarm(summary: str, lead: timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -lead)
    alarm.add("description", summary)  # DISPLAY alarms require one; the phone shows it
    return alarm


def _summary(doc: Document, row: Row) -> str:
    # Some titles already open with their channel ("公众号·同步预告"): do not say it twice.
    return channel_and_title(row, SUMMARY_SEPARATOR[doc.campaign.language])


def _description(doc: Document, row: Row, cues: str) -> str:
    """The copy to paste first (what the operator needs at the alarm), then the note, who does it, the rule IDs."""
    colon = COLON[doc.campaign.language]
    columns = doc.labels.columns
    parts = [row.text] if row.text else []
    if row.note:
        parts.append(f"{doc.labels.plan['note']}{colon}{row.note}")
    parts.append(f"{columns['who']}{colon}{row.actor}\n{columns['rules']}{colon}{' '.join(row.event.rules)}")
    if cues:
        parts.append(cues)
    return "\n\n".join(parts)


def _sale_event_row(doc: Document) -> Row | None:
    """Where the trigger cues go: the first product introduction (at S), else the first timed action from S on."""
    timed = doc.timed
    for row in timed:
        if row.event.kind == SALE_EVENT_KIND:
            return row
    start = doc.campaign.start
    return next((row for row in timed if row.local is not None and row.local >= start), timed[-1] if timed else None)


def _cues(doc: Document) -> str:
    """Every trigger cue (GR-13 stock, GR-14 tiers): when it fires, what it is, and its copy when the plan has one."""
    rows = doc.triggered
    if not rows:
        return ""
    colon = COLON[doc.campaign.language]
    blocks = [doc.labels.plan["triggered"]]
    for row in rows:
        heading = f"▶ {row.trigger}{colon}{row.title}"
        blocks.append(f"{heading}\n{row.text}" if row.text else heading)
    return "\n\n".join(blocks)


def uid(doc: Document, row: Row) -> str:
    """Stable per sale and action (see the module's docstring): no time, no file name, no randomness."""
    event = row.event
    return f"{campaign_key(doc)}-{action_id(event.kind, event.step, event.channel_name)}@flashgroup"


def action_id(kind: str, step: int, channel: str | None = None) -> str:
    # WU-10: one announcement per owned channel, named by the channel (its step shifts when a channel is added).
    return f"{kind}-{_slug(channel)}" if channel else f"{kind}-{step}"


def campaign_key(doc: Document) -> str:
    """The file's `id:` (as written when it is plain ASCII, else a slug plus a digest), else brand and start date."""
    campaign = doc.campaign
    if campaign.id:
        if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", campaign.id):
            return campaign.id
        return f"{_slug(campaign.id) or 'sale'}-{_digest(campaign.id)}"
    day = campaign.start.date().isoformat()
    return f"{_slug(campaign.brand) or 'sale'}-{day}-{_digest(campaign.brand + chr(10) + day)}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


# The most events of each kind a campaign can have (schedule.py): the ones a revision no longer has are cancelled.
MAX_STEPS = {
    "moments.polishing": 2,  # WU-5: 1–2 posts
    "moments.launch": len(LAUNCH_OFFSETS),  # WU-7
    "group.announcement": -(-INVITE_BEFORE // ANNOUNCEMENT_EVERY),  # GR-2: from S−2h every 30 min
    "group.product_intro": MAX_PRODUCTS,  # GR-8, SEL-5
    "group.chain": MAX_PRODUCTS,  # GR-9
    "group.countdown": len(COUNTDOWNS),  # GR-13
    "group.screenshot_nudge": MAX_PRODUCTS - 1,  # GR-10: one after every chain but the first
    "group.faq": MAX_PRODUCTS,  # GR-9: at most one per product
    "group.buyer_photos": MAX_PRODUCTS,  # GR-10: at most one per product
    "group.recap": 8,  # GR-13: fills the longer silences of a sale; a revision with fewer cancels the rest
    "group.wrapup": 1,  # END-3: none with `wrapup: none`
    "moments.progress": 2,  # END-5
}
CLOCK_KINDS = tuple(kind for kind in KINDS if kind not in ("group.stock_update", "group.tier_reached", "channels.announcement"))
EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)


def possible_actions(doc: Document) -> list[str]:
    """Every action id a campaign of this file's sale could have, in a fixed order."""
    actions = []
    for kind in CLOCK_KINDS:
        present = max((r.event.step for r in doc.timed if r.event.kind == kind), default=0)
        actions += [action_id(kind, step) for step in range(1, max(present, MAX_STEPS.get(kind, 1)) + 1)]
    actions += [action_id("channels.announcement", 1, channel) for channel in CHANNELS]
    return actions


def _revision(doc: Document, component: Event) -> None:
    """DTSTAMP and SEQUENCE (see the module's docstring)."""
    campaign = doc.campaign
    stamp = campaign.saved_at or EPOCH
    sequence = campaign.revision if campaign.revision is not None else max(0, int((stamp - EPOCH).total_seconds() // 60))
    component.add("dtstamp", stamp)
    component.add("sequence", sequence)


def _cancelled(doc: Document, action: str) -> Event:
    """A placeholder that tells a calendar which imported an earlier revision to take this action out."""
    event = Event()
    event.add("uid", f"{campaign_key(doc)}-{action}@flashgroup")
    _revision(doc, event)
    event.add("dtstart", doc.campaign.start)
    event.add("duration", timedelta(minutes=1))
    event.add("summary", doc.labels.plan["cancelled"])
    event.add("status", "CANCELLED")
    event.add("transp", "TRANSPARENT")
    return event


def _slug(text: str) -> str:
    # UIDs travel through mail and sync servers that mangle non-ASCII; Chinese names live in the digest instead.
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40]
