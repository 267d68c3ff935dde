"""How a check is declared and chosen: its code, its severity, and what it is given to look at.

A check is a pure function of a Context (the campaign, `now` when known, the schedule that will run) that yields Hits;
the registry turns each Hit into a located Finding with the check's code and severity, so a check cannot report under
another rule's name. The checks themselves are in checks.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import cache, cached_property

from .events import Schedule
from .findings import SEVERITIES, Finding
from .model import Campaign
from .records import record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any

    from .compliance import WordHit

# Rule families of RULES.md, then the tool's own: AD (advertising law and WeChat's rules on the words), TIME (the
# calendar, not the method) and CHK (the `checks:` section).
FAMILIES = ("SEL", "WU", "GR", "END", "AD", "TIME", "CHK")
_CODE = re.compile(r"^([A-Z]+)-(\d+)$")


@record
class Hit:
    """What a check found, before the registry names it: the YAML path of the node concerned, what is wrong, the fix."""

    path: str
    message: str
    fix: str
    at_key: bool = False  # point at the key rather than its value (e.g. a whole `referral:` section)


class Context:
    """What every check may look at. Schedules are built at most once per campaign, and only if a check asks."""

    def __init__(
        self,
        campaign: Campaign,
        now: datetime | None,
        compressed: bool | None,
        language: str | None = None,
        schedules: dict[bool, Schedule] | None = None,
    ) -> None:
        self.campaign = campaign
        self.now = now
        self.compressed = compressed
        self.language = language or campaign.language  # the language findings speak: the campaign's unless chosen
        # Schedules by `compressed`, shared with the caller (plan and timeline build one once per campaign).
        self._built: dict[bool, Schedule] = {} if schedules is None else schedules

    def say(self, key: str, **values: object) -> tuple[str, str]:
        """The message and fix of a finding (templates/findings.<language>.yml) with its values filled in."""
        entry = finding_words(self.language)[key]
        return entry.get("message", "").format(**values), entry.get("fix", "").format(**values)

    def word(self, key: str, **values: object) -> str:
        """A small word of the findings' language (a list separator, "the market price" ...)."""
        return str(finding_words(self.language)["words"][key]).format(**values)

    def join(self, items: Iterable[object]) -> str:
        return self.word("list_sep").join(str(i) for i in items)

    @cached_property
    def standard(self) -> Schedule:
        from .schedule import build_schedule

        if False not in self._built:
            self._built[False] = build_schedule(self.campaign)
        return self._built[False]

    @cached_property
    def compressed_schedule(self) -> Schedule:
        from .schedule import build_schedule

        if True not in self._built:
            self._built[True] = build_schedule(self.campaign, compressed=True)
        return self._built[True]

    @property
    def runs_compressed(self) -> bool:
        """The script that will run: the one asked for, else the standard one unless `now` says it is too late (WU-2)."""
        if self.compressed is not None:
            return self.compressed
        return self.now is not None and first_post(self.standard) < self.now

    @property
    def schedule(self) -> Schedule:
        return self.compressed_schedule if self.runs_compressed else self.standard

    @cached_property
    def published_words(self) -> list[tuple[str, str, list[WordHit]]]:
        """Each published text of the file (YAML path, text) with the listed words it holds, all AD codes at once:
        looked for once per campaign, not once per AD check (a code's hits are the same either way)."""
        from .compliance import find_words, published_texts

        return [(path, text, find_words(text)) for path, text in published_texts(self.campaign)]

    def declared(self, path: str) -> bool:
        """Whether the file itself holds this value (rather than the loader's default)."""
        return path in self.campaign.source.values


@cache
def finding_words(language: str) -> dict[str, Any]:
    """What findings say in one language: templates/findings.<language>.yml (words live in templates/, not in code)."""
    import yaml

    from .resources import templates_dir

    path = templates_dir() / f"findings.{language}.yml"
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data


def first_post(schedule: Schedule) -> datetime:
    """The first timed event of a schedule: the day-1 survey (WU-3)."""
    return min(e.at for e in schedule.events if e.at is not None)


@record
class Check:
    code: str
    severity: str
    summary: str  # one line, English, for docs and `--help`; the operator's words are in templates/rules.*.yml
    run: Callable[[Context], Iterable[Hit]]
    needs_now: bool = False  # skipped when `now` is not given (plan and timeline stay deterministic)

    def findings(self, context: Context) -> Iterator[Finding]:
        source = context.campaign.source
        for hit in self.run(context):
            where = source.key_at(hit.path) if hit.at_key else source.at(hit.path)
            yield Finding(self.code, self.severity, where, hit.path, hit.message, hit.fix)


REGISTRY: list[Check] = []


def check(code: str, severity: str, summary: str, *, needs_now: bool = False) -> Callable[[Callable[[Context], Iterable[Hit]]], Callable]:
    """Register a check under its rule code (`@check("GR-5", WARNING, "...")`); several checks may share one code."""
    if not _CODE.match(code) or code.split("-")[0] not in FAMILIES or severity not in SEVERITIES:
        raise ValueError(f"bad check declaration: {code} {severity}")

    def register(function: Callable[[Context], Iterable[Hit]]) -> Callable[[Context], Iterable[Hit]]:
        REGISTRY.append(Check(code, severity, summary, function, needs_now))
        known_codes.cache_clear()
        return function

    return register


def code_order(code: str) -> tuple[int, int]:
    """SEL-1 < SEL-5 < WU-1 < WU-11 < GR-3 < ... < AD-1 < TIME-1 < CHK-1: families in RULES.md order, then by number."""
    match = _CODE.match(code)
    if not match or match[1] not in FAMILIES:
        return (len(FAMILIES), 0)
    return (FAMILIES.index(match[1]), int(match[2]))


@cache
def known_codes() -> tuple[str, ...]:
    """Every code that has a check, in RULES.md order (cached; registering a check clears it)."""
    return tuple(sorted({c.code for c in REGISTRY}, key=code_order))


def severities_by_code() -> dict[str, tuple[str, ...]]:
    """Code → the severities its checks report, most serious first (SEL-3: error and info)."""
    return {code: tuple(s for s in SEVERITIES if any(c.code == code and c.severity == s for c in REGISTRY)) for code in known_codes()}


class UnknownCodeError(ValueError):
    """A code in --select/--ignore or `checks: ignore` that names no check."""


def expand_codes(values: Iterable[str]) -> frozenset[str]:
    """`["SEL-5", "gr-3,GR-5", "TIME"]` → the codes they name; a family name (SEL, WU, GR, END, AD, TIME, CHK) names all of it.

    Raises UnknownCodeError for a code without a check, with the nearest known code when there is one.
    """
    known = known_codes()
    chosen: set[str] = set()
    for value in values:
        for part in value.split(","):
            code = part.strip().upper()
            if not code:
                continue
            if code in FAMILIES:
                chosen.update(k for k in known if k.startswith(code + "-"))
            elif code in known:
                chosen.add(code)
            else:
                raise UnknownCodeError(unknown_code_message(code, known))
    return frozenset(chosen)


def unknown_code_message(code: str, known: tuple[str, ...]) -> str:
    import difflib  # only for a suggestion

    close = difflib.get_close_matches(code, known, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else ""
    return f"no check has the code {code!r}{hint} (codes: {', '.join(known)}; families: {', '.join(FAMILIES)})"
