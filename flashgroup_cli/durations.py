"""Durations as operators write them: 30m, 45m, 1h, 1h30m, 90 (minutes)."""

from __future__ import annotations

import re
from datetime import timedelta

_DURATION = re.compile(r"^\s*(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m(?:in)?)?\s*$", re.IGNORECASE)


def parse_duration(raw: object) -> timedelta:
    """A timedelta from `30m`, `1h30m`, `2h` or a bare number of minutes; ValueError otherwise."""
    if isinstance(raw, bool):
        raise ValueError("not a duration")
    if isinstance(raw, int):
        return timedelta(minutes=raw)
    text = str(raw).strip()
    if text.isdigit():
        return timedelta(minutes=int(text))
    match = _DURATION.match(text)
    if not text or not match or not (match["h"] or match["m"]):
        raise ValueError("not a duration")
    return timedelta(hours=int(match["h"] or 0), minutes=int(match["m"] or 0))


def format_offset(delta: timedelta) -> str:
    """`T−2h`, `T+12m`, `T−1h30m`, `T` — the offset of an action from the sale start, for run-sheets."""
    seconds = int(delta.total_seconds())
    if seconds == 0:
        return "T"
    sign = "−" if seconds < 0 else "+"
    minutes = abs(seconds) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = (f"{days}d" if days else "") + (f"{hours}h" if hours else "") + (f"{mins}m" if mins else "")
    return f"T{sign}{parts or '0m'}"
