"""The AD word lists (templates/compliance.{zh,en}.yml) as rows: read from the YAML, or ahead of time into the wheel.

Reading the lists takes a one-campaign run about 5 ms (PyYAML, then literals.py reading forty expressions for the
strings each needs): a twelfth of a `timeline` run (issue 13). The wheel's build hook (hatch_build.py) loads this file
by its path (no package import: `required_literals` is handed in), reads the lists once and writes the rows into
`flashgroup_cli/_word_lists.py` with a checksum of what they came from, and with the pre-check's table made from them
(`prefilter`, about 1 ms more at every start otherwise); compliance.py uses those only while the checksum still
matches, and reads the YAML otherwise, so the table can never be stale.
"""

from __future__ import annotations

import re
from binascii import crc32
from pathlib import Path

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Reader = Callable[..., frozenset[frozenset[str]] | None]  # literals.required_literals

MODULE = "_word_lists"  # flashgroup_cli._word_lists in the wheel
WORD_CODES = ("AD-1", "AD-2", "AD-3", "AD-4")  # the checks whose words are in the lists
LIST_LANGUAGES = ("zh", "en")
# A row: (code, shown, source, flags, rewrite, needs, folded), the fields of compliance.Entry.
Row = tuple[str, str, str, int, str, tuple[tuple[str, ...], ...], bool]
# What the rows are made from besides the lists: how they are read.
SOURCES = ("word_list_build.py", "literals.py")
# The pre-check of find_words (compliance._worth_searching), made from the rows: (led_by, by_key, always).
# led_by: for each leading string (the rarest of a set of needs), the rest of each of its sets and the entries (row
# indices) the set lets through; by_key: the leading strings filed under their rarest character; always: the entries
# searched whatever the text.
Prefilter = tuple[dict[str, tuple[tuple[tuple[str, ...], tuple[int, ...]], ...]], dict[str, tuple[str, ...]], tuple[int, ...]]

# Characters roughly from the most to the least common in a campaign's texts (digits of prices and times, English
# letters by frequency, the commonest Chinese characters); any other is rarer than these. A set of needs is looked at
# only when its leading string is in the text, and that string only when its rarest character is: both should seldom
# be there (issue 13). Only speed depends on this order, never what is found.
COMMON = (
    "01e2a5o3i9r8s4l6p7htndcuywmgfbvk-x,.#%zjq"
    "的一是不了人我在有他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家"
    "种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心本前开但因只从想实日者意无力与长把机十民第公此"
    "已工使情明性知全三又关点正业外将两高间由问很最重并物手应向头文体相见被利什二等产或新己制身果加"
    "价原赞完店选提优卖先量朋友拉送领享团购货包邮斤箱盒元群晚今早抢"
)


def list_paths(directory: Path) -> list[Path]:
    return [directory / f"compliance.{language}.yml" for language in LIST_LANGUAGES]


def checksum(directory: Path, package: Path) -> int:
    """CRC-32 of the lists and of the code that reads them (not a guard against tampering, which would need the
    files anyway: a check that the rows were made from these very files; hashlib costs 3 ms to import)."""
    value = 0
    for path in [*list_paths(directory), *(package / name for name in SOURCES)]:
        value = crc32(path.read_bytes(), value)
    return value


def read_rows(directory: Path, required_literals: Reader, check: bool = True) -> list[Row]:
    """Every entry of both lists, in order; a malformed entry raises ValueError naming it. `check` also compiles
    each expression (the shipped lists are compiled by the build and by a test; a run compiles on first use)."""
    import yaml

    rows = []
    for path in list_paths(directory):
        language = path.name.split(".")[1]
        data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        for code in WORD_CODES:
            for i, item in enumerate(data.get(code) or ()):
                rows.append(_row(code, item, language, f"{path.name}: {code}[{i}]", required_literals, check))
    return rows


def _row(code: str, item: dict[str, Any], language: str, where: str, required_literals: Reader, check: bool) -> Row:
    rewrite = str(item.get("rewrite") or "").strip()
    if not rewrite or ("words" in item) == ("pattern" in item):
        raise ValueError(f"{where}: needs `rewrite` and one of `words` or `pattern`")
    flags = int(re.IGNORECASE) if language == "en" else 0
    if "words" in item:
        words = [str(w) for w in item["words"]]
        # English words match whole words only ("best" is not in "bestow"); Chinese has no word boundaries.
        alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
        source = rf"(?<![\w-])(?:{alternatives})(?![\w-])" if language == "en" else alternatives
        shown = str(item.get("shown") or words[0])
    else:
        source = str(item["pattern"])
        shown = str(item.get("shown") or source)
    if check:
        try:
            re.compile(source, flags)
        except re.error as exc:
            raise ValueError(f"{where}: bad pattern: {exc}") from None
    folded = bool(flags & re.IGNORECASE)
    needs = required_literals(source, ignore_case=folded)
    return (code, shown, source, flags, rewrite, tuple(sorted(tuple(sorted(strings)) for strings in needs or ())), folded)


def prefilter(rows: list[Row]) -> Prefilter:
    """The pre-check's table (Prefilter above). An entry that ignores case has lowered needs; one that does not is
    looked for in the lowered text only if its needs have no case at all (Chinese words, digits), else it is always
    searched, as is an entry without needs."""
    owners: dict[tuple[str, ...], list[int]] = {}
    always = []
    for i, (*_, needs, folded) in enumerate(rows):
        if not needs or not (folded or all(s == s.lower() == s.upper() for need in needs for s in need)):
            always.append(i)
            continue
        for need in needs:
            owners.setdefault(need, []).append(i)
    rank = {c: i for i, c in enumerate(COMMON)}

    def rarity(string: str) -> tuple[int, int]:
        return max(rank.get(c, len(COMMON)) for c in string), len(string)

    led_by: dict[str, list[tuple[tuple[str, ...], tuple[int, ...]]]] = {}
    for need, which in sorted(owners.items()):
        leader = max(need, key=rarity)  # of equal ones, the first
        led_by.setdefault(leader, []).append((tuple(s for s in need if s != leader), tuple(which)))
    by_key: dict[str, list[str]] = {}
    for leader in sorted(led_by):
        by_key.setdefault(max(leader, key=lambda c: rank.get(c, len(COMMON))), []).append(leader)
    return (
        {leader: tuple(sets) for leader, sets in sorted(led_by.items())},
        {key: tuple(leaders) for key, leaders in sorted(by_key.items())},
        tuple(always),
    )


def write_module(rows: list[Row], value: int, target: Path) -> None:
    lines = [
        '"""The AD word lists read when the wheel was built (flashgroup_cli/word_list_build.py). Generated; do not edit."""',
        "",
        f"CHECKSUM = {value!r}",
        "ROWS = (",
        *(f"    {row!r}," for row in rows),
        ")",
        f"PREFILTER = {prefilter(rows)!r}",
        "",
    ]
    target.write_text("\n".join(lines), encoding="utf-8")
