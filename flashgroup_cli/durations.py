"""Durations as operators write them: 30m, 45m, 1h, 1h30m, 1h30, 90 (minutes), 30min, 1.5h, 30分钟, 1小时30分."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation

_HOURS = r"(?:h|hr|hrs|hour|hours|小时|时|個小時|个小时)"
_MINUTES = r"(?:m|min|mins|minute|minutes|分钟|分|分鐘)"
_DURATION = re.compile(
    rf"^(?:(?P<h>\d+(?:\.\d+)?)\s*{_HOURS})?\s*(?:(?P<m>\d+)\s*(?:{_MINUTES})?)?$",
    re.IGNORECASE,
)

MAX_MINUTES = 10 * 366 * 24 * 60  # ten years: far beyond any use, far below timedelta's limit


def parse_duration(raw: object) -> timedelta:
    """A timedelta from `30m`, `1h30m`, `1h30`, `1.5h`, `30分钟`, `1小时` or a bare number of minutes; ValueError otherwise."""
    if isinstance(raw, bool):
        raise ValueError("not a duration")
    if isinstance(raw, int):
        if abs(raw) > MAX_MINUTES:
            raise ValueError("too long")
        return timedelta(minutes=raw)
    text = str(raw).strip()
    if len(text) > 40:
        raise ValueError("not a duration")
    match = _DURATION.match(text)
    if not text or not match or not (match["h"] or match["m"]):
        raise ValueError("not a duration")
    try:
        hours = Decimal(match["h"] or 0)
    except InvalidOperation:
        raise ValueError("not a duration") from None
    minutes = hours * 60 + int(match["m"] or 0)
    if minutes != minutes.to_integral_value():
        raise ValueError("not a whole number of minutes")
    if minutes > MAX_MINUTES:
        raise ValueError("too long")
    return timedelta(minutes=int(minutes))


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
