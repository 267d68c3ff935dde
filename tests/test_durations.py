"""Durations as operators write them (GR-12 sale window, --remind)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flashgroup_cli.durations import format_offset, parse_duration


@pytest.mark.parametrize(
    "text,minutes",
    [
        ("30m", 30),
        ("45m", 45),
        ("1h", 60),
        ("1h30m", 90),
        ("1h30", 90),
        ("90", 90),
        (40, 40),
        ("30min", 30),
        ("30 mins", 30),
        ("1.5h", 90),
        ("2 hours", 120),
        ("30分钟", 30),
        ("1小时", 60),
        ("1小时30分", 90),
        ("1H30M", 90),
    ],
)
def test_forms_operators_write(text, minutes):
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["", "abc", "-30m", "30s", "1.25m", "1.01h", True, "h", "m30"])
def test_not_durations(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_offsets_from_the_start():
    assert format_offset(timedelta(hours=-2)) == "T−2h"
    assert format_offset(timedelta(minutes=12)) == "T+12m"
    assert format_offset(timedelta(days=-4, hours=-9, minutes=-30)) == "T−4d9h30m"
    assert format_offset(timedelta(0)) == "T"
