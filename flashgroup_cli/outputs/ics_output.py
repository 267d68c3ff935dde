"""The plan as an RFC 5545 calendar: one event per timed action, an alarm before each, DST right in any calendar app.

Written with the icalendar library (never by hand): it folds lines at 75 octets, uses CRLF and escapes text.

Choices an operator (and a test) can rely on:
- Times carry TZID = the campaign's zone, and the calendar carries that zone's VTIMEZONE, so a calendar app on a phone
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
- Trigger cues (stock updates GR-13, tier goals GR-14) fire on sales, not on the clock, so they are not events: they
  go in the description of the sale event, the first product introduction (GR-8) at S, which the operator has open
  when the sale runs. (group.close at E would come too late to use them.)
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone

from .. import __version__
from ..campaign_file import MAX_PRODUCTS
from ..document import Document, Row
from ..events import KINDS
from ..model import CHANNELS
from ..schedule import ANNOUNCEMENT_EVERY, COUNTDOWNS, INVITE_BEFORE, LAUNCH_OFFSETS

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
    """The text of a .ics file: one VEVENT per timed row, each with a display alarm `remind` before it."""
    calendar = _calendar(doc)
    calendar.add_component(_vtimezone(doc))
    sale_event = _sale_event_row(doc)
    live = set()
    for row in doc.rows:
        if row.local is not None:  # trigger cues have no clock time: they go in the sale event's description
            cues = _cues(doc) if row is sale_event else ""
            calendar.add_component(_event(doc, row, row.local, remind, cues))
            live.add(action_id(row.event.kind, row.event.step, row.event.channel_name))
    for action in possible_actions(doc):
        if action not in live:
            calendar.add_component(_cancelled(doc, action))
    return calendar.to_ical().decode("utf-8")


def _calendar(doc: Document) -> Calendar:
    campaign = doc.campaign
    calendar = Calendar()
    calendar.add("prodid", f"-//flashgroup//flashgroup {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", campaign.name)  # RFC 7986; X-WR-* for the apps that predate it (Google, Apple, Outlook)
    calendar.add("x-wr-calname", campaign.name)
    calendar.add("x-wr-timezone", campaign.timezone)
    return calendar


# One fixed span of years for every calendar of a zone (widened for a plan outside it): calendar apps, and the parsers
# of the icalendar and dateutil libraries, may keep the first VTIMEZONE they see for a TZID and reuse it for the next
# file, so a definition cut to one plan's own year would put a later import of another year an hour off.
ZONE_YEARS = (2020, 2035)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _vtimezone(doc: Document) -> Timezone:
    """The zone's rules over a fixed span of years, so the output never depends on the day it is made."""
    instants = [row.local for row in doc.timed if row.local is not None] or [doc.campaign.start]
    first = min(ZONE_YEARS[0], min(instants).year)
    last = max(ZONE_YEARS[1], max(instants).year + 1)
    return _zone_rules(doc.campaign.zone, first, last)


@lru_cache(maxsize=64)
def _zone_rules(zone: ZoneInfo, first_year: int, last_year: int) -> Timezone:
    """icalendar lists every transition as an RDATE; where they follow a yearly rule ("second Sunday of March") we
    write that rule instead (RRULE, with UNTIL when the zone stopped changing clocks): Outlook and dateutil-based
    readers such as vobject honour RRULE but not a list of RDATEs. Built once per zone for a batch; shared safely,
    as the component is only serialized after this."""
    component = Timezone.from_tzinfo(zone, zone.key, date(first_year, 1, 1), date(last_year + 1, 1, 1))
    for sub in component.subcomponents:
        rdates = sub.get("RDATE")
        if rdates is None:
            continue
        groups: list[Any] = rdates if isinstance(rdates, list) else [rdates]
        first: Any = sub["DTSTART"]  # a vDDDTypes; icalendar types every property as a wide union
        starts: list[datetime] = [first.dt] + [d.dt for group in groups for d in group.dts]
        rule = _yearly_rule(starts, last_year)
        if rule is not None:
            del sub["RDATE"]
            sub.add("rrule", rule)
    return component


def _yearly_rule(starts: list[datetime], last_year: int) -> dict[str, object] | None:
    """FREQ=YEARLY;BYMONTH=m;BYDAY=nSU (or -1SU) when every transition is that weekday of that month at one time."""
    starts = sorted(starts)
    years = [s.year for s in starts]
    if len(starts) < 2 or years != list(range(years[0], years[0] + len(starts))):
        return None
    if len({(s.month, s.weekday(), s.time()) for s in starts}) != 1:
        return None
    weekday = _WEEKDAYS[starts[0].weekday()]
    nth = {(s.day - 1) // 7 + 1 for s in starts}
    if len(nth) == 1 and nth != {5}:
        byday = f"{nth.pop()}{weekday}"
    elif all((s + timedelta(days=7)).month != s.month for s in starts):
        byday = f"-1{weekday}"
    else:
        return None
    rule: dict[str, object] = {"freq": "yearly", "bymonth": starts[0].month, "byday": byday}
    if years[-1] < last_year:  # the zone stopped this change: the rule must not run on past its last year
        rule["until"] = starts[-1]
    return rule


def _event(doc: Document, row: Row, local: datetime, remind: timedelta, cues: str) -> Event:
    summary = _summary(doc, row)
    event = Event()
    event.add("uid", uid(doc, row))
    _revision(doc, event)
    event.add("dtstart", _start(local))
    event.add("duration", DURATIONS.get(row.event.kind, DEFAULT_DURATION))
    event.add("summary", summary)
    event.add("description", _description(doc, row, cues))
    event.add("categories", [row.channel])
    event.add_component(_alarm(summary, remind))
    return event


def _start(local: datetime) -> datetime:
    """The local time with its TZID, or UTC for the second pass of a repeated hour (RFC 5545 §3.3.5 reads the first)."""
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        return local.astimezone(timezone.utc)
    return local


def _alarm(summary: str, remind: timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -remind)
    alarm.add("description", summary)  # DISPLAY alarms require one; the phone shows it
    return alarm


def _summary(doc: Document, row: Row) -> str:
    # Some titles already open with their channel ("公众号·同步预告", "Group announcement 1/4"): do not say it twice.
    rest = row.title.removeprefix(row.channel)
    if rest != row.title and rest[:1] in ("·", ":", " "):
        return row.title
    return f"{row.channel}{SUMMARY_SEPARATOR[doc.campaign.language]}{row.title}"


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
