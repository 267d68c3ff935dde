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
    if language != "en" or not unit.isascii() or not unit[-1:].isalpha():
        return unit  # zh, and units English has no plural for (箱 in an English campaign: 150 箱, never 150 箱s)
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


# -- time words in customer copy, relative to when the text is published (issue 8, item 4) -------------------------
_EN_MONTHS_FULL = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_US_ZONES = {
    "America/New_York": "ET",
    "America/Detroit": "ET",
    "America/Toronto": "ET",
    "America/Chicago": "CT",
    "America/Denver": "MT",
    "America/Phoenix": "MT",
    "America/Los_Angeles": "PT",
    "America/Vancouver": "PT",
}


def zh_clock(moment: datetime) -> str:
    """`晚上8点`, `下午3点半`, `上午10点`, `中午12点`, `晚上7点45分`: how an operator says a time in Chinese."""
    hour, minute = moment.hour, moment.minute
    if hour < 5:
        period = "凌晨"
    elif hour < 12:
        period = "上午"
    elif hour < 13:
        period = "中午"
    elif hour < 18:
        period = "下午"
    else:
        period = "晚上"
    shown = hour if hour <= 12 else hour - 12
    rest = "" if minute == 0 else ("半" if minute == 30 else f"{minute}分")
    return f"{period}{shown}点{rest}"


def en_clock(moment: datetime) -> str:
    """`7 pm`, `7:30 pm`, `noon`, `10 am`: a 12-hour clock as US readers write it."""
    hour, minute = moment.hour, moment.minute
    if hour == 12 and minute == 0:
        return "noon"
    if hour == 0 and minute == 0:
        return "midnight"
    shown = hour % 12 or 12
    return f"{shown}{'' if minute == 0 else f':{minute:02d}'} {'am' if hour < 12 else 'pm'}"


def zone_abbreviation(moment: datetime) -> str:
    """ET/CT/MT/PT for US and Canadian zones, else the zone's own abbreviation (CET, GMT) or UTC+8."""
    key = getattr(moment.tzinfo, "key", "")
    if key in _US_ZONES:
        return _US_ZONES[key]
    name = moment.tzname() or ""
    if not name or name[0] in "+-":
        offset = moment.utcoffset() or timedelta(0)
        hours, rest = divmod(int(offset.total_seconds()) // 60, 60)
        return f"UTC{hours:+d}" + (f":{rest:02d}" if rest else "")
    return name


def relative_when(moment: datetime, published: datetime | None, language: str, *, zone: bool = False) -> str:
    """The time of `moment` as the reader of a text published at `published` says it: the same day 今天/今晚 (today,
    tonight), the day before 明天/明晚 (tomorrow), else the date and weekday. `zone` adds the zone (en: 7 pm ET)."""
    days = (moment.date() - published.date()).days if published is not None else 99
    if language == "zh":
        clock_words = zh_clock(moment)
        evening = clock_words.startswith("晚上")
        if days == 0:
            return "今晚" + clock_words[2:] if evening else "今天" + clock_words
        if days == 1:
            return "明晚" + clock_words[2:] if evening else "明天" + clock_words
        return f"{moment.month}月{moment.day}日（周{_ZH_WEEKDAYS[moment.weekday()]}）{clock_words}"
    clock_words = en_clock(moment) + (f" {zone_abbreviation(moment)}" if zone else "")
    if days == 0:
        return ("tonight" if moment.hour >= 17 else "today") + f" at {clock_words}"
    if days == 1:
        return ("tomorrow night" if moment.hour >= 19 else "tomorrow") + f" at {clock_words}"
    return f"{_EN_WEEKDAYS[moment.weekday()]}, {_EN_MONTHS_FULL[moment.month - 1]} {moment.day} at {clock_words}"


def relative_day(moment: datetime, published: datetime | None, language: str) -> str:
    """The day alone: 今天/明天/12月12日（周六）; today/tomorrow/Sat, Dec 12."""
    days = (moment.date() - published.date()).days if published is not None else 99
    if language == "zh":
        return {0: "今天", 1: "明天"}.get(days, f"{moment.month}月{moment.day}日（周{_ZH_WEEKDAYS[moment.weekday()]}）")
    return {0: "today", 1: "tomorrow"}.get(days, f"{_EN_WEEKDAYS[moment.weekday()]}, {_EN_MONTHS_FULL[moment.month - 1]} {moment.day}")


def thousands(amount: int) -> str:
    """1,050 in English; Chinese copy writes 1050."""
    return f"{amount:,}"


def span_words(minutes: int, language: str) -> str:
    """A length of time in customer copy: zh as span(); en `6 hours`, `30 minutes`, `1 hour 30 minutes`."""
    if language == "zh":
        return span(minutes, language)
    hours, mins = divmod(minutes, 60)
    parts = ([f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []) + (
        [f"{mins} minute{'s' if mins != 1 else ''}"] if mins or not hours else []
    )
    return " ".join(parts)
