"""Dates, durations and money in the reader's words, written once (Jinja filters and every output use these)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

_ZH_WEEKDAYS = "一二三四五六日"
_EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_label(moment: datetime, language: str) -> str:
    """zh `12月12日（周六）`, en `Sat 12 Dec`."""
    if language == "zh":
        return f"{moment.month}月{moment.day}日（周{_ZH_WEEKDAYS[moment.weekday()]}）"
    return f"{_EN_WEEKDAYS[moment.weekday()]} {moment.day} {_EN_MONTHS[moment.month - 1]}"


def clock(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def when(moment: datetime, language: str) -> str:
    """zh `12月12日（周六）20:00`, en `Sat 12 Dec, 20:00`."""
    separator = "" if language == "zh" else ", "
    return f"{day_label(moment, language)}{separator}{clock(moment)}"


def span(delta: timedelta | int, language: str) -> str:
    """A length of time: zh `2小时`/`30分钟`/`1小时30分钟`, en `2 h`/`30 min`/`1 h 30 min`."""
    minutes = delta if isinstance(delta, int) else int(delta.total_seconds() // 60)
    hours, mins = divmod(minutes, 60)
    if language == "zh":
        return (f"{hours}小时" if hours else "") + (f"{mins}分钟" if mins or not hours else "")
    parts = ([f"{hours} h"] if hours else []) + ([f"{mins} min"] if mins or not hours else [])
    return " ".join(parts)


def money(amount: Decimal | int, currency: str = "¥", language: str = "zh") -> str:
    """Exact decimals, no float noise: zh `¥19.9`, `¥20` (as Chinese price tags read); en `$19.50`, `$20`."""
    value = Decimal(amount).quantize(Decimal("0.01"))
    text = f"{value:f}"
    if text.endswith(".00"):
        text = text[:-3]
    elif language == "zh":
        text = text.rstrip("0")
    return f"{currency}{text}"


def number(amount: Decimal | int) -> str:
    """A plain amount without currency, same rules as money()."""
    return money(amount, "")


_MEASURES = ("kg", "g", "lb", "lbs", "oz", "ml", "l", "cl", "jin", "斤")


def unit_noun(unit: str, count: int, language: str) -> str:
    """The unit in the right number for `count` in English (1 box, 2 boxes, 1 unit, 250 units, 5 kg); zh has no plural.

    Units are usually written singular in the campaign file; a plural one is made singular for a count of 1.
    """
    if language != "en":
        return unit
    low = unit.lower()
    if count == 1:
        if low.endswith(("xes", "zes", "ches", "shes", "sses")):
            return unit[:-2]
        if low.endswith("ies"):
            return unit[:-3] + "y"
        if low.endswith("s") and not low.endswith("ss") and low not in _MEASURES:
            return unit[:-1]
        return unit
    if low in _MEASURES or (low.endswith("s") and not low.endswith("ss")):
        return unit
    if low.endswith("y") and low[-2:-1] not in ("a", "e", "i", "o", "u"):
        return unit[:-1] + "ies"
    if low.endswith(("x", "z", "s", "ch", "sh")):
        return unit + "es"
    return unit + "s"
