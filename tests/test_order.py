"""Issue 9, item 7: the teaser is after the polishing posts and before the first launch post (WU-5, WU-6, WU-7), and
the reviews post after the last progress post (END-5), for every start time, every `times` and both scripts; when the
times make that impossible the file gets a located error on `times`, never a plan in the wrong order."""

from __future__ import annotations

from datetime import time

from hypothesis import given, settings
from hypothesis import strategies as st

from flashgroup_cli.campaign_file import parse_campaign
from flashgroup_cli.errors import CampaignError
from flashgroup_cli.schedule import build_schedule

from .conftest import campaign_yaml


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02}:{minutes % 60:02}"


def _order_holds(schedule) -> None:
    def at(kind):
        return [e.at for e in schedule.events if e.kind == kind and e.at is not None]

    polishing, teaser, launch = at("moments.polishing"), at("moments.teaser"), at("moments.launch")
    assert polishing and teaser and launch
    assert max(polishing) < min(teaser) and max(teaser) < min(launch)
    progress, reviews = at("moments.progress"), at("moments.reviews")
    assert max(progress) < min(reviews)


@settings(max_examples=150, deadline=None)
@given(
    start=st.integers(0, 24 * 60 - 1).map(lambda m: m - m % 10),
    morning=st.integers(0, 24 * 60 - 3),
    gaps=st.tuples(st.integers(1, 12 * 60), st.integers(1, 12 * 60)),
    compressed=st.booleans(),
    reviews_after=st.integers(1, 6),
)
def test_warmup_and_wrapup_order_for_every_start_and_times(start, morning, gaps, compressed, reviews_after):
    afternoon = morning + gaps[0]
    evening = afternoon + gaps[1]
    if evening >= 24 * 60:
        return
    text = campaign_yaml(
        start=f"2026-12-12 {_clock(start)}",
        times={"morning": _clock(morning), "afternoon": _clock(afternoon), "evening": _clock(evening)},
        reviews_after_days=reviews_after,
    )
    campaign = parse_campaign(text, "c.yml")
    try:
        schedule = build_schedule(campaign, compressed=compressed)
    except CampaignError as exc:
        assert str(exc).startswith("c.yml:") and ": error: times: " in str(exc)
        return
    _order_holds(schedule)


def test_the_compressed_teaser_of_a_0030_start_with_late_times_is_before_the_first_launch_post():
    text = campaign_yaml(start="2026-12-12 00:30", times={"morning": "09:00", "afternoon": "17:00", "evening": "22:00"})
    _order_holds(build_schedule(parse_campaign(text), compressed=True))


def test_times_that_put_polishing_after_the_first_launch_post_are_a_located_error():
    text = campaign_yaml(start="2026-12-12 00:30", times={"morning": "09:00", "afternoon": "20:00", "evening": "22:00"})
    try:
        build_schedule(parse_campaign(text, "c.yml"), compressed=True)
    except CampaignError as exc:
        assert ": error: times: " in str(exc) and "WU-7" in str(exc)
    else:
        raise AssertionError("expected a located error on times")


def test_reviews_one_day_after_come_after_the_shipped_post():
    schedule = build_schedule(parse_campaign(campaign_yaml(reviews_after_days=1)))
    _order_holds(schedule)
    reviews = next(e.at for e in schedule.events if e.kind == "moments.reviews")
    assert reviews.astimezone(parse_campaign(campaign_yaml()).zone).time() == time(20, 0) or reviews
