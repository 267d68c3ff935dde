"""The schedule engine, rule by rule (WU-*, GR-*, END-*), in several zones and across DST changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from flashgroup_cli.campaign_file import parse_campaign
from flashgroup_cli.schedule import build_schedule, group_names, stock_triggers, wall_time

from .conftest import campaign_yaml

UTC = timezone.utc


def plan(compressed: bool = False, **overrides):
    campaign = parse_campaign(campaign_yaml(**overrides))
    return campaign, build_schedule(campaign, compressed=compressed)


def times(schedule, kind):
    return [e.at for e in schedule.events if e.kind == kind]


def local_dates(schedule, kind, zone):
    return [e.at.astimezone(zone).date() for e in schedule.events if e.kind == kind]


def test_wu_2_standard_script_days_in_shanghai():
    c, s = plan()
    zone = c.zone
    assert local_dates(s, "moments.survey", zone) == [date(2026, 12, 8)]
    assert local_dates(s, "moments.results", zone) == [date(2026, 12, 9)]
    assert local_dates(s, "moments.polishing", zone)[0] == date(2026, 12, 10)
    assert local_dates(s, "moments.teaser", zone) == [date(2026, 12, 11)]
    assert s.variant == "standard"


def test_wu_3_survey_at_the_morning_time_of_the_file():
    c, s = plan(times={"morning": "09:30", "afternoon": "14:00", "evening": "21:00"})
    (survey,) = times(s, "moments.survey")
    assert survey.astimezone(c.zone).strftime("%H:%M") == "09:30"


def test_wu_5_polishing_is_one_or_two_posts_in_the_afternoon_and_evening():
    c, s = plan()
    posts = [t.astimezone(c.zone).strftime("%H:%M") for t in times(s, "moments.polishing")]
    assert posts == ["15:00", "20:00"]


def test_wu_7_launch_posts_exactly_6h_2h_30m_before():
    c, s = plan()
    start = c.start.astimezone(UTC)
    assert times(s, "moments.launch") == [start - timedelta(hours=6), start - timedelta(hours=2), start - timedelta(minutes=30)]


def test_wu_7_launch_is_absolute_time_across_dst_end_los_angeles():
    # DST ends 2026-11-01 02:00 PDT. S = 05:00 PST (13:00 UTC); S−6h = 07:00 UTC = 00:00 PDT, not 23:00 of the day before.
    c, s = plan(start="2026-11-01 05:00", timezone="America/Los_Angeles")
    first = times(s, "moments.launch")[0].astimezone(c.zone)
    assert first.isoformat() == "2026-11-01T00:00:00-07:00"
    assert c.start.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=6)


def test_wu_7_launch_is_absolute_time_across_dst_start_new_york():
    # DST starts 2026-03-08 02:00 EST. S = 06:00 EDT (10:00 UTC); S−6h = 04:00 UTC = 23:00 EST on March 7.
    c, s = plan(start="2026-03-08 06:00", timezone="America/New_York")
    first = times(s, "moments.launch")[0].astimezone(c.zone)
    assert first.isoformat() == "2026-03-07T23:00:00-05:00"


def test_wu_2_day_posts_keep_their_wall_time_across_dst_new_york():
    # The warm-up crosses the end of DST (Nov 1): 10:00 stays 10:00 on every calendar day, the offset changes.
    c, s = plan(start="2026-11-03 19:00", timezone="America/New_York")
    survey = times(s, "moments.survey")[0].astimezone(c.zone)
    teaser = times(s, "moments.teaser")[0].astimezone(c.zone)
    assert survey.isoformat() == "2026-10-30T10:00:00-04:00"
    assert teaser.isoformat() == "2026-11-02T20:00:00-05:00"


def test_wu_8_self_comment_on_launch_day_before_the_start():
    c, s = plan()
    (comment,) = times(s, "moments.self_comment")
    assert comment < c.start and comment.astimezone(c.zone).date() == c.start.date()


def test_wu_9_compressed_script():
    c, s = plan(compressed=True)
    zone = c.zone
    survey, results = times(s, "moments.survey")[0], times(s, "moments.results")[0]
    assert survey.astimezone(zone).date() == results.astimezone(zone).date() == date(2026, 12, 10)
    assert survey.astimezone(zone).hour < 12 <= results.astimezone(zone).hour
    assert local_dates(s, "moments.polishing", zone)[0] == date(2026, 12, 11)
    teaser = times(s, "moments.teaser")[0]
    assert teaser.astimezone(zone).date() == date(2026, 12, 12) and teaser < times(s, "moments.launch")[0]
    assert s.variant == "compressed"


@pytest.mark.parametrize("compressed", [False, True])
def test_wu_6_teaser_moves_before_the_first_launch_post_for_an_early_start(compressed):
    c, s = plan(compressed=compressed, start="2026-12-12 01:00")
    teaser, launch = times(s, "moments.teaser")[0], times(s, "moments.launch")[0]
    polishing = times(s, "moments.polishing")
    assert all(p < teaser for p in polishing) and teaser < launch


def test_wu_10_owned_channels_carry_the_teaser():
    c, s = plan(channels=["official_account", "video_channel"])
    events = [e for e in s.events if e.kind == "channels.announcement"]
    assert [e.channel for e in events] == ["official_account", "video_channel"]
    assert all(e.at == times(s, "moments.teaser")[0] for e in events)


def test_gr_1_invite_at_s_minus_2h():
    c, s = plan()
    assert times(s, "group.invite") == [c.start.astimezone(UTC) - timedelta(hours=2)]


def test_gr_2_announcements_every_30_minutes_until_the_start():
    c, s = plan()
    start = c.start.astimezone(UTC)
    assert times(s, "group.announcement") == [start - timedelta(minutes=m) for m in (120, 90, 60, 30)]


def test_gr_3_number_of_groups_is_ceil_audience_over_size():
    c, s = plan(audience=361)
    assert s.groups == ("鲜果铺子福利1群", "鲜果铺子福利2群", "鲜果铺子福利3群", "鲜果铺子福利4群")
    c, s = plan(audience=None)
    assert len(s.groups) == 1


def test_gr_4_skipping_numbers_is_the_operators_choice():
    c = parse_campaign(campaign_yaml(group={"size": 120, "name": "福利{n}群", "skip_numbers": True}))
    assert group_names(c) == ("福利1群", "福利3群", "福利5群")


def test_gr_6_red_envelopes_at_s_minus_10m_then_gr_7_rules():
    c, s = plan()
    start = c.start.astimezone(UTC)
    assert times(s, "group.red_envelopes") == [start - timedelta(minutes=10)]
    (rules,) = times(s, "group.rules")
    assert start - timedelta(minutes=10) < rules <= start


@pytest.mark.parametrize("count,minutes", [(1, 30), (3, 30), (5, 30), (5, 10), (2, 45)])
def test_gr_8_one_intro_per_product_first_at_s_all_before_e_minus_5m(count, minutes):
    products = [{"name": f"p{i}", "price": 1, "market_price": 2, "stock": 300} for i in range(count)]
    c, s = plan(products=products, duration=f"{minutes}m", tiers=None)
    start, end = c.start.astimezone(UTC), c.sale_end.astimezone(UTC)
    intros, chains = times(s, "group.product_intro"), times(s, "group.chain")
    assert len(intros) == len(chains) == count
    assert intros[0] == start
    assert all(t < end - timedelta(minutes=5) for t in intros)
    # GR-8/GR-9: at most 3 minutes of intro, then its chain, before the next product
    for i, (intro, chain) in enumerate(zip(intros, chains)):
        assert timedelta(0) < chain - intro <= timedelta(minutes=3)
        if i + 1 < count:
            assert chain < intros[i + 1]


def test_gr_10_order_screenshots_after_the_first_chain():
    c, s = plan()
    assert times(s, "group.order_screenshots")[0] > times(s, "group.chain")[0]


def test_gr_13_countdown_at_e_minus_5m_and_triggers_for_stock():
    c, s = plan()
    end = c.sale_end.astimezone(UTC)
    assert end - timedelta(minutes=5) in times(s, "group.countdown")
    cues = [e for e in s.events if e.kind == "group.stock_update"]
    assert cues and all(e.at is None and e.trigger for e in cues)
    assert [t.amount for t in stock_triggers(0, 300)] == [150, 20, 0]
    assert [t.kind for t in stock_triggers(0, 1)] == ["sold_out"]


def test_gr_14_one_trigger_per_tier():
    c, s = plan(tiers=[{"at": 100, "gift": "a"}, {"at": 200, "gift": "b"}])
    cues = [e for e in s.events if e.kind == "group.tier_reached"]
    assert [e.trigger.amount for e in cues] == [100, 200] and all(e.at is None for e in cues)


def test_end_1_close_exactly_at_e_and_nothing_sells_after():
    c, s = plan(duration="40m")
    end = c.sale_end.astimezone(UTC)
    assert times(s, "group.close") == [end]
    selling = [e for e in s.events if e.at and e.at > end and e.kind.startswith("group.")]
    assert {e.kind for e in selling} <= {"group.wrapup", "group.dissolve"}


def test_end_2_3_4_wrapup_then_dissolve_then_battle_report():
    c, s = plan()
    end = c.sale_end.astimezone(UTC)
    (wrapup,), (dissolve,), (report,) = times(s, "group.wrapup"), times(s, "group.dissolve"), times(s, "moments.battle_report")
    assert end < wrapup < dissolve < report


def test_end_3_no_wrapup_event_when_the_file_says_none():
    c, s = plan(wrapup="none")
    assert times(s, "group.wrapup") == [] and times(s, "group.dissolve")


def test_end_5_progress_and_reviews_on_the_following_days():
    c, s = plan(reviews_after_days=4)
    zone = c.zone
    assert local_dates(s, "moments.progress", zone) == [date(2026, 12, 13), date(2026, 12, 14)]
    assert local_dates(s, "moments.reviews", zone) == [date(2026, 12, 16)]


def test_timed_events_are_in_time_order_and_triggers_sit_in_the_sale():
    c, s = plan()
    timed = [e.at for e in s.events if e.at]
    assert timed == sorted(timed)
    kinds = [e.kind for e in s.events]
    assert kinds.index("group.product_intro") < kinds.index("group.stock_update") < kinds.index("group.close")


def test_events_are_numbered_within_their_kind():
    c, s = plan()
    launches = [e for e in s.events if e.kind == "moments.launch"]
    assert [(e.step, e.of) for e in launches] == [(1, 3), (2, 3), (3, 3)]


def test_wall_time_in_a_dst_gap_moves_forward():
    zone = ZoneInfo("America/New_York")
    at = wall_time(date(2026, 3, 8), datetime(2026, 3, 8, 2, 30).time(), zone)
    assert at.astimezone(zone).isoformat() == "2026-03-08T03:30:00-04:00"


def test_end_1_sale_end_is_absolute_across_the_repeated_hour():
    c, s = plan(start="2026-11-01T01:30:00-07:00", timezone="America/Los_Angeles", duration="40m")
    assert c.sale_end.isoformat() == "2026-11-01T01:10:00-08:00"
    assert times(s, "group.close") == [c.start.astimezone(UTC) + timedelta(minutes=40)]


def test_engine_is_deterministic():
    c = parse_campaign(campaign_yaml())
    assert build_schedule(c) == build_schedule(c)


def test_gr_5_helpers_take_the_cues_in_turn():
    from flashgroup_cli.helper_roster import helper_cues, helpers_by_event

    products = [
        {"name": f"p{i}", "price": 1, "market_price": 2, "stock": 300, "worry": {"question": "q?", "answer": "a"}} for i in range(2)
    ]
    c, s = plan(products=products, group={"size": 120, "helpers": 3}, tiers=[{"at": 100, "gift": "g"}])
    cues = helper_cues(c, s)
    assert [(cue.helper, cue.cue) for cue in cues] == [
        (1, "thank_envelopes"), (2, "ask_rules"), (3, "ask_worry"), (1, "join_chain"),
        (2, "post_screenshot"), (3, "ask_worry"), (1, "join_chain"), (2, "cheer_tier"),
    ]  # fmt: skip
    chains = [i for i, e in enumerate(s.events) if e.kind == "group.chain"]
    assert helpers_by_event(cues)[chains[0]] == [1, 3]
    c, s = plan(group={"size": 120, "helpers": 0})
    assert helper_cues(c, s) == []
