"""The calendar export (issue 5): read back by the library that wrote it and by an independent parser (vobject)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from functools import cache

import icalendar
import pytest
import vobject

from flashgroup_cli import __version__
from flashgroup_cli.document import Document
from flashgroup_cli.outputs.ics_output import DURATIONS, campaign_key, render_ics, uid
from flashgroup_cli.pipeline import plan_document, timeline_document

from .conftest import EXAMPLES, ROOT, campaign_dict, campaign_yaml

UTC = timezone.utc
CASES = [
    ("orange.yml", "plan", False),
    ("retail.yml", "plan", False),
    ("retail.yml", "plan", True),
    ("apples-en.yml", "plan", False),
    ("apples-en.yml", "timeline", False),
    ("apples-en.yml", "timeline", True),
]


@cache
def document(name: str, kind: str = "plan", compressed: bool = False) -> Document:
    build = plan_document if kind == "plan" else timeline_document
    return build(EXAMPLES / name, compressed=compressed)


@cache
def ics(name: str, kind: str = "plan", compressed: bool = False) -> str:
    return render_ics(document(name, kind, compressed))


def icalendar_events(text: str) -> list[icalendar.Event]:
    """The live events (cancelled placeholders for actions a revision dropped are left out)."""
    return [e for e in icalendar.Calendar.from_ical(text).walk("VEVENT") if e.get("STATUS") != "CANCELLED"]


def vobject_events(text: str) -> list[vobject.base.Component]:
    return [e for e in vobject.readOne(text).vevent_list if getattr(e, "status", None) is None or e.status.value != "CANCELLED"]


def cancelled_uids(text: str) -> list[str]:
    return [str(e["UID"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT") if e.get("STATUS") == "CANCELLED"]


def utc_instants(doc: Document) -> list[datetime]:
    return [row.local.astimezone(UTC) for row in doc.timed if row.local is not None]


@pytest.mark.parametrize(("name", "kind", "compressed"), CASES)
def test_both_parsers_read_one_event_per_timed_action_at_the_same_instants(name, kind, compressed):
    doc, text = document(name, kind, compressed), ics(name, kind, compressed)
    expected = utc_instants(doc)
    assert [e.start.astimezone(UTC) for e in icalendar_events(text)] == expected
    assert [e.dtstart.value.astimezone(UTC) for e in vobject_events(text)] == expected


@pytest.mark.parametrize(("name", "kind", "compressed"), CASES)
def test_times_carry_the_campaign_zone_and_its_vtimezone(name, kind, compressed):
    doc, text = document(name, kind, compressed), ics(name, kind, compressed)
    zone = doc.campaign.timezone
    assert text.count(f"DTSTART;TZID={zone}:") == len(doc.timed) + len(cancelled_uids(text))
    calendar = icalendar.Calendar.from_ical(text)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == [zone]
    assert not calendar.get_missing_tzids()
    parsed = vobject.readOne(text)
    assert parsed.vtimezone.tzid.value == zone
    assert {e.dtstart.params["X-VOBJ-ORIGINAL-TZID"][0] for e in parsed.vevent_list} == {zone}


def test_calendar_properties_name_the_tool_the_campaign_and_its_zone():
    calendar = icalendar.Calendar.from_ical(ics("orange.yml"))
    assert calendar["PRODID"] == f"-//flashgroup//flashgroup {__version__}//EN"
    assert calendar["VERSION"] == "2.0"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["X-WR-CALNAME"] == "赣南脐橙年终快闪"
    assert calendar["X-WR-TIMEZONE"] == "Asia/Shanghai"


def test_dst_campaign_in_new_york_imports_as_the_right_instants():
    # apples-en.yml starts 2027-11-09 19:00; the warm-up crosses the end of DST on Nov 7 (EDT −4 → EST −5).
    text = ics("apples-en.yml", "timeline")
    key = campaign_key(document("apples-en.yml", "timeline"))
    for events, start, uid_of in (
        (icalendar_events(text), lambda e: e.start, lambda e: str(e["UID"])),
        (vobject_events(text), lambda e: e.dtstart.value, lambda e: e.uid.value),
    ):
        by_action = {uid_of(e).removeprefix(f"{key}-"): start(e) for e in events}  # "moments.survey-1@flashgroup"
        survey, teaser = by_action["moments.survey-1@flashgroup"], by_action["moments.teaser-1@flashgroup"]
        assert survey.astimezone(UTC) == datetime(2027, 11, 5, 14, 0, tzinfo=UTC)  # 10:00 −04:00
        assert teaser.astimezone(UTC) == datetime(2027, 11, 9, 1, 0, tzinfo=UTC)  # 20:00 −05:00
        assert survey.utcoffset() == timedelta(hours=-4) and teaser.utcoffset() == timedelta(hours=-5)
    assert "DTSTART;TZID=America/New_York:20271108T200000" in text.splitlines()  # wall time, as the operator reads it


def test_second_pass_of_a_repeated_hour_is_written_in_utc(write_campaign):
    # Clocks go back at 02:00 EDT on 2026-11-01: a 40-minute sale from 01:30 EDT ends at 01:10 EST, a wall time that
    # also happened an hour earlier. RFC 5545 reads a repeated wall time as its first pass, so TZID would be an hour off.
    path = write_campaign(start="2026-11-01T01:30:00-04:00", timezone="America/New_York", duration="40m")
    doc = timeline_document(path)
    text = render_ics(doc)
    assert "DTSTART:20261101T061000Z" in text.splitlines()  # group.close, E = 05:30Z + 40m
    expected = utc_instants(doc)
    assert [e.start.astimezone(UTC) for e in icalendar_events(text)] == expected
    assert [e.dtstart.value.astimezone(UTC) for e in vobject_events(text)] == expected


@pytest.mark.parametrize("remind", [timedelta(0), timedelta(minutes=10), timedelta(minutes=15), timedelta(hours=1)])
@pytest.mark.parametrize(("name", "kind", "compressed"), CASES)
def test_alarms_ring_in_run_sheet_order_each_at_or_before_its_action(name, kind, compressed, remind):
    doc = document(name, kind, compressed)
    text = render_ics(doc, remind=remind)
    for events, start, lead, action, description, summary in (
        (
            icalendar_events(text),
            lambda e: e.start,
            lambda e: -e.walk("VALARM")[0]["TRIGGER"].dt,
            lambda e: e.walk("VALARM")[0]["ACTION"],
            lambda e: e.walk("VALARM")[0]["DESCRIPTION"],
            lambda e: e["SUMMARY"],
        ),
        (
            vobject_events(text),
            lambda e: e.dtstart.value,
            lambda e: -e.valarm.trigger.value,
            lambda e: e.valarm.action.value,
            lambda e: e.valarm.description.value,
            lambda e: e.summary.value,
        ),
    ):
        assert len(events) == len(doc.timed)
        previous = None
        for row, event in zip(doc.timed, events, strict=True):
            at = start(event).astimezone(UTC)
            assert action(event) == "DISPLAY" and description(event) == summary(event)
            rings = at - lead(event)
            assert timedelta(0) <= lead(event) <= remind
            ahead = row.event.kind.startswith(("moments.", "channels."))
            gap = at - previous if previous is not None else remind
            assert lead(event) == (min(remind, gap) if ahead else timedelta(0)), row.event.kind
            if previous is not None:
                assert rings >= previous  # never before the action ahead of it
            previous = at


def test_gr_7_rules_alarm_rings_before_the_chain_alarm():
    # The case: a 10-minute lead on cues minutes apart rang the 19:33 chain at 19:23, before the 19:25 rules.
    doc = document("retail.yml")
    rings = []
    for row, event in zip(doc.timed, icalendar_events(ics("retail.yml")), strict=True):
        rings.append((event.start + event.walk("VALARM")[0]["TRIGGER"].dt, event.start, row.event.kind))
    assert [r[0] for r in rings] == sorted(r[0] for r in rings)
    launch = [r for r in rings if r[2] == "moments.launch"]
    assert all(ring == start - timedelta(minutes=10) for ring, start, _ in launch)


@pytest.mark.parametrize(("name", "kind", "compressed"), CASES)
def test_uids_are_unique_and_name_sale_and_action_not_time(name, kind, compressed):
    text = ics(name, kind, compressed)
    uids = [str(e["UID"]) for e in icalendar_events(text)] + cancelled_uids(text)
    assert len(set(uids)) == len(uids)
    assert [e.uid.value for e in vobject.readOne(text).vevent_list] == uids
    key = campaign_key(document(name, kind, compressed))
    assert all(u.startswith(f"{key}-") and u.endswith("@flashgroup") and u.isascii() for u in uids)


def test_uid_base_is_the_id_key_else_brand_and_start_date(write_campaign):
    doc = plan_document(write_campaign())
    assert campaign_key(doc).startswith("sale-2026-12-12-")  # a Chinese brand has no ASCII slug: its digest tells it apart
    english = plan_document(write_campaign(brand="Fresh Fruit Co."))
    assert campaign_key(english).startswith("fresh-fruit-co-2026-12-12-")
    assert campaign_key(plan_document(write_campaign(id="orange-2026w50"))) == "orange-2026w50"
    chinese_id = campaign_key(plan_document(write_campaign(id="双十二橙子")))
    assert chinese_id.startswith("sale-") and chinese_id.isascii()


def test_wu_10_one_uid_per_owned_channel_announcement_numbered_across_channels():
    doc = document("retail.yml")
    uids = [str(e["UID"]) for e in icalendar_events(ics("retail.yml"))]
    announcements = [u for u in uids if "-channels.announcement-" in u]
    assert len(announcements) == 2
    assert any(u.endswith("-channels.announcement-official-account@flashgroup") for u in announcements)
    assert any(u.endswith("-channels.announcement-member-group@flashgroup") for u in announcements)
    rows = [r.event for r in doc.rows if r.event.kind == "channels.announcement"]
    assert [(e.step, e.of) for e in rows] == [(1, 2), (2, 2)]
    assert any(u.endswith("-channels.announcement-video-channel@flashgroup") for u in cancelled_uids(ics("retail.yml")))


@pytest.mark.parametrize(
    "revise",
    [
        {"start": "2026-12-12 19:30"},  # moved within the day
        {"name": "赣南脐橙年终快闪（修订）"},  # a typo fixed in the name
        {"id": "oranges", "start": "2026-12-14 20:00"},  # with an id, even another day
    ],
)
def test_uids_stay_across_revisions(write_campaign, revise):
    # A revised plan, imported again, must update the events it created, not add a second set.
    base = {"id": "oranges"} if "id" in revise else {}
    first = render_ics(plan_document(write_campaign(**base)))
    revised = render_ics(plan_document(write_campaign(campaign_yaml(**{**base, **revise}), name="campaign-v2.yml")))
    assert first != revised
    first_uids = [str(e["UID"]) for e in icalendar_events(first)]
    assert first_uids == [str(e["UID"]) for e in icalendar_events(revised)]
    assert first_uids == [e.uid.value for e in vobject_events(revised)]


def test_two_sales_in_same_named_files_have_different_uids(write_campaign, tmp_path):
    # Two weekends of one recurring sale, saved as w1/retail.yml and w2/retail.yml, must not replace each other.
    (tmp_path / "w1").mkdir()
    (tmp_path / "w2").mkdir()
    first = plan_document(write_campaign(name="w1/retail.yml"))
    second = plan_document(write_campaign(name="w2/retail.yml", start="2026-12-19 20:00"))
    assert not {str(e["UID"]) for e in icalendar_events(render_ics(first))} & {str(e["UID"]) for e in icalendar_events(render_ics(second))}


def test_dropped_actions_are_cancelled_events(write_campaign):
    two = campaign_dict()["products"] * 2
    two[1] = {**two[1], "name": "四川丑橘 5斤装"}
    before = render_ics(plan_document(write_campaign(products=two)))
    after = render_ics(plan_document(write_campaign(name="v2.yml", products=two[:1])))
    live_after = {str(e["UID"]) for e in icalendar_events(after)}
    dropped = {str(e["UID"]) for e in icalendar_events(before)} - live_after
    dropped_actions = {u.split("-", 5)[-1] for u in dropped}
    assert {"group.product_intro-2@flashgroup", "group.chain-2@flashgroup", "group.screenshot_nudge-1@flashgroup"} <= dropped_actions
    assert not {
        a
        for a in dropped_actions
        if not a.startswith(
            ("group.product_intro", "group.chain", "group.screenshot_nudge", "group.recap", "group.faq", "group.buyer_photos")
        )
    }
    assert dropped <= set(cancelled_uids(after))
    assert not set(cancelled_uids(after)) & live_after
    for event in vobject.readOne(after).vevent_list:
        if event.uid.value in dropped:
            assert event.status.value == "CANCELLED" and not event.contents.get("valarm")


def test_dtstamp_is_the_file_save_time_and_sequence_grows_with_it(write_campaign, monkeypatch):
    path = write_campaign()
    os.utime(path, (1_800_000_000, 1_800_000_000))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    text = render_ics(plan_document(path))
    stamp = datetime.fromtimestamp(1_800_000_000, UTC)
    minutes = int((stamp - datetime(2020, 1, 1, tzinfo=UTC)).total_seconds() // 60)
    assert {e["DTSTAMP"].dt for e in icalendar_events(text)} == {stamp}
    assert {e.sequence.value for e in vobject_events(text)} == {str(minutes)}
    os.utime(path, (1_800_000_600, 1_800_000_600))
    later = render_ics(plan_document(path))
    assert {int(e["SEQUENCE"]) for e in icalendar_events(later)} == {minutes + 10}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert {e["DTSTAMP"].dt for e in icalendar_events(render_ics(plan_document(path)))} == {datetime.fromtimestamp(1_700_000_000, UTC)}


def test_revision_key_sets_the_sequence(write_campaign):
    text = render_ics(plan_document(write_campaign(revision=3)))
    assert {int(e["SEQUENCE"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT")} == {3}


def test_output_is_byte_identical_across_runs():
    again = render_ics(plan_document(EXAMPLES / "retail.yml"))
    assert again == ics("retail.yml")
    assert render_ics(timeline_document(EXAMPLES / "apples-en.yml")) == ics("apples-en.yml", "timeline")


def test_output_is_byte_identical_across_processes():
    # Another process has another hash seed and another clock: nothing in the file may depend on either.
    script = (
        "import hashlib, sys; from pathlib import Path;"
        "from flashgroup_cli.pipeline import plan_document;"
        "from flashgroup_cli.outputs.ics_output import render_ics;"
        "print(hashlib.sha256(render_ics(plan_document(Path(sys.argv[1]))).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script, str(EXAMPLES / "retail.yml")], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout.strip()
        for _ in range(2)
    }
    assert digests == {hashlib.sha256(ics("retail.yml").encode()).hexdigest()}


def test_gr_13_gr_14_trigger_cues_are_in_the_sale_event_description_not_events():
    doc, text = document("retail.yml"), ics("retail.yml")
    cues = doc.triggered
    assert {r.event.kind for r in cues} == {"group.stock_update", "group.tier_reached"}
    sale_uid = uid(doc, next(r for r in doc.timed if r.event.kind == "group.product_intro"))
    for events, uid_of, description in (
        (icalendar_events(text), lambda e: str(e["UID"]), lambda e: str(e["DESCRIPTION"])),
        (vobject_events(text), lambda e: e.uid.value, lambda e: e.description.value),
    ):
        assert len(events) == len(doc.timed)  # cues add no clock events
        (sale,) = [e for e in events if uid_of(e) == sale_uid]
        for cue in cues:
            assert cue.trigger and cue.trigger in description(sale)
            assert cue.text and cue.text in description(sale)
        others = [description(e) for e in events if uid_of(e) != sale_uid]
        assert not any(cues[0].trigger in d for d in others)


def test_timeline_cues_carry_trigger_and_title():
    doc = document("apples-en.yml", "timeline")
    (sale,) = [e for e in vobject_events(ics("apples-en.yml", "timeline")) if "-group.product_intro-1@" in e.uid.value]
    for cue in doc.triggered:
        assert f"▶ {cue.trigger}: {cue.title}" in sale.description.value


def test_chinese_text_survives_folding_in_both_parsers():
    doc, text = document("orange.yml"), ics("orange.yml")
    raw = text.encode("utf-8")
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
    assert max(len(line) for line in lines) <= 75  # octets, RFC 5545 §3.1
    timed = doc.timed
    ical, vobj = icalendar_events(text), vobject_events(text)
    for row, a, b in zip(timed, ical, vobj, strict=True):
        assert str(a["SUMMARY"]) == b.summary.value
        assert row.title in b.summary.value
        assert str(a["DESCRIPTION"]) == b.description.value
        assert b.description.value.startswith(row.text)  # the copy first, byte for byte, emoji and all
        assert row.note in b.description.value
        assert " ".join(row.event.rules) in b.description.value
        assert [str(c) for c in a["CATEGORIES"].cats] == b.categories.value == [row.channel]


@pytest.mark.parametrize(("name", "kind", "separator"), [("orange.yml", "plan", "·"), ("apples-en.yml", "timeline", ": ")])
def test_summary_joins_channel_and_title_in_the_campaign_language(name, kind, separator):
    doc = document(name, kind)
    summaries = [e.summary.value for e in vobject_events(ics(name, kind))]
    for row, summary in zip(doc.timed, summaries, strict=True):
        assert summary in (f"{row.channel}{separator}{row.title}", row.title)
    survey = next(i for i, row in enumerate(doc.timed) if row.event.kind == "moments.survey")
    assert summaries[survey] == f"{doc.timed[survey].channel}{separator}{doc.timed[survey].title}"


def test_summary_does_not_repeat_a_channel_the_title_already_names():
    assert "公众号·同步预告" in {e.summary.value for e in vobject_events(ics("retail.yml"))}


def test_durations_are_short_and_gr_8_intro_lasts_three_minutes():
    doc = document("retail.yml")
    for row, event in zip(doc.timed, icalendar_events(ics("retail.yml")), strict=True):
        duration = event["DURATION"].dt
        assert duration == DURATIONS.get(row.event.kind, timedelta(minutes=5))
        assert timedelta(0) < duration <= timedelta(minutes=30)
    assert DURATIONS["group.product_intro"] == timedelta(minutes=3)


ZONE_MATRIX = [
    ("Africa/Casablanca", "2027-02-09 20:00"),  # the warm-up crosses the Ramadan switch to +00 (Feb 7), back on Mar 14
    ("Africa/Casablanca", "2027-03-16 20:00"),  # and the switch back to +01
    ("America/Santiago", "2027-04-06 20:00"),  # DST ends on the first Sunday of April
    ("America/Santiago", "2027-09-07 20:00"),  # and starts on the first Sunday of September
    ("Australia/Lord_Howe", "2029-04-03 19:00"),  # a 30-minute DST
    ("Asia/Tehran", "2021-03-23 20:00"),  # DST at Nowruz, by the Persian calendar (until 2022)
    ("Asia/Tehran", "2026-03-22 20:00"),  # no DST any more
    ("Europe/Dublin", "2027-11-02 20:00"),  # negative DST in the tz data: winter GMT is the "daylight" time
    ("Europe/Dublin", "2027-03-30 20:00"),
    ("America/New_York", "2027-11-09 19:00"),
    ("America/Los_Angeles", "2026-03-10 20:00"),
    ("Europe/Berlin", "2031-10-28 18:30"),
    ("Asia/Shanghai", "2026-12-12 20:00"),
]


@pytest.mark.parametrize(("zone", "start"), ZONE_MATRIX)
def test_zone_matrix_every_event_at_its_instant_from_the_vtimezone_in_both_parsers(write_campaign, zone, start):
    # vobject builds the zone from the file's VTIMEZONE; icalendar would use its own copy of a known IANA zone, so it
    # reads the file again with the TZID renamed, which makes it build the zone from the VTIMEZONE as well.
    doc = timeline_document(write_campaign(start=start, timezone=zone))
    text = render_ics(doc)
    expected = utc_instants(doc)
    assert "RRULE" not in text and "RDATE" not in text
    assert [e.dtstart.value.astimezone(UTC) for e in vobject_events(text)] == expected
    assert [e.start.astimezone(UTC) for e in icalendar_events(text)] == expected
    private = text.replace(f"TZID:{zone}", f"TZID:Flashgroup/{start[:10]}/{zone}").replace(
        f"TZID={zone}:", f"TZID=Flashgroup/{start[:10]}/{zone}:"
    )
    assert f"TZID={zone}" not in private
    assert [e.start.astimezone(UTC) for e in icalendar_events(private)] == expected
    assert [e.dtstart.value.astimezone(UTC) for e in vobject_events(private)] == expected


def test_casablanca_ramadan_switches_are_in_the_vtimezone():
    from zoneinfo import ZoneInfo

    from flashgroup_cli.outputs.ics_output import _zone_transitions

    component = _zone_transitions(ZoneInfo("Africa/Casablanca"), 2027, 2027)
    starts = [(str(b.name), b["DTSTART"].dt, b["TZOFFSETTO"].td) for b in component.subcomponents]
    assert (datetime(2027, 2, 7, 3, 0), timedelta(0)) in [(d, o) for _, d, o in starts]
    assert (datetime(2027, 3, 14, 2, 0), timedelta(hours=1)) in [(d, o) for _, d, o in starts]
