"""Invariants of time over random starts, zones, durations and product counts (hypothesis)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from dateutil import tz
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from flashgroup_cli.campaign_file import parse_campaign
from flashgroup_cli.schedule import build_schedule

from .conftest import campaign_yaml

UTC = timezone.utc
ZONES = ["Asia/Shanghai", "America/Los_Angeles", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Chatham", "UTC"]


@st.composite
def campaigns(draw):
    zone = draw(st.sampled_from(ZONES))
    # Around the DST changes of several zones (March/April, October/November) and the rest of the year.
    start = draw(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31))).replace(second=0, microsecond=0)
    from zoneinfo import ZoneInfo

    local = start.replace(tzinfo=ZoneInfo(zone))
    assume(tz.datetime_exists(local) and not tz.datetime_ambiguous(local))
    minutes = draw(st.integers(min_value=10, max_value=180))
    count = draw(st.integers(min_value=1, max_value=5))
    products = [{"name": f"产品{i}", "price": 9.9, "market_price": 19.9, "stock": 300} for i in range(count)]
    text = campaign_yaml(start=start.strftime("%Y-%m-%d %H:%M"), timezone=zone, duration=f"{minutes}m", products=products)
    return parse_campaign(text), draw(st.booleans())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(campaigns())
def test_invariants_of_time(case):
    campaign, compressed = case
    schedule = build_schedule(campaign, compressed=compressed)
    zone = campaign.zone
    s = campaign.start.astimezone(UTC)
    e = s + campaign.duration
    sday = campaign.start.date()

    def at(kind):
        return [ev.at for ev in schedule.events if ev.kind == kind]

    timed = [ev.at for ev in schedule.events if ev.at]
    assert timed == sorted(timed)
    # WU-7: exact absolute offsets
    assert at("moments.launch") == [s - timedelta(hours=6), s - timedelta(hours=2), s - timedelta(minutes=30)]
    survey, results, polishing, teaser = at("moments.survey")[0], at("moments.results")[0], at("moments.polishing"), at("moments.teaser")[0]
    if compressed:  # WU-9
        assert survey.astimezone(zone).date() == results.astimezone(zone).date() == sday - timedelta(days=2)
        assert polishing[0].astimezone(zone).date() == sday - timedelta(days=1)
        launch_first = at("moments.launch")[0].astimezone(zone)
        if launch_first.time() != datetime.min.time():  # a first launch post at 00:00 leaves no room that day
            assert teaser.astimezone(zone).date() in {sday, launch_first.date()}
    else:  # WU-2
        assert survey.astimezone(zone).date() == sday - timedelta(days=4)
        assert results.astimezone(zone).date() == sday - timedelta(days=3)
        assert polishing[0].astimezone(zone).date() in {sday - timedelta(days=3), sday - timedelta(days=2)}
        assert teaser.astimezone(zone).date() == sday - timedelta(days=1)
    assert survey < results <= polishing[0] < teaser < at("moments.launch")[0]
    assert all(p < teaser for p in polishing)
    # GR-1, GR-2, GR-6, GR-7
    assert at("group.invite") == [s - timedelta(hours=2)]
    assert all(s - timedelta(hours=2) <= t < s for t in at("group.announcement"))
    assert at("group.red_envelopes") == [s - timedelta(minutes=10)]
    assert all(s - timedelta(minutes=10) < t <= s for t in at("group.rules"))
    # GR-8, GR-9
    intros = at("group.product_intro")
    assert len(intros) == len(at("group.chain")) == len(campaign.products)
    assert intros[0] == s and all(t < e - timedelta(minutes=5) for t in intros)
    # GR-13, END-1..4
    assert e - timedelta(minutes=5) in at("group.countdown")
    assert at("group.close") == [e]
    assert e < at("group.dissolve")[0] <= at("moments.battle_report")[0]
    assert not [
        ev
        for ev in schedule.events
        if ev.at and ev.at > e and ev.kind.startswith("group.") and ev.kind not in ("group.wrapup", "group.dissolve")
    ]
