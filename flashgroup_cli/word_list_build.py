"""The AD word lists (templates/compliance.{zh,en}.yml) as rows: read from the YAML, or ahead of time into the wheel.

Reading the lists takes a one-campaign run about 5 ms (PyYAML, then literals.py reading forty expressions for the
strings each needs): a twelfth of a `timeline` run (issue 13). The wheel's build hook (hatch_build.py) loads this file
by its path (no package import: `required_literals` is handed in), reads the lists once and writes the rows into
`flashgroup_cli/_word_lists.py` with a checksum of what they came from; compliance.py uses those rows only while the
checksum still matches, and reads the YAML otherwise, so the table can never be stale.
"""

from __future__ import annotations

import re
from binascii import crc32
from pathlib import Path

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

MODULE = "_word_lists"  # flashgroup_cli._word_lists in the wheel
WORD_CODES = ("AD-1", "AD-2", "AD-3", "AD-4")  # the checks whose words are in the lists
LIST_LANGUAGES = ("zh", "en")
# A row: (code, shown, source, flags, rewrite, needs, folded), the fields of compliance.Entry.
Row = tuple[str, str, str, int, str, tuple[str, ...], bool]
# What the rows are made from besides the lists: how they are read.
SOURCES = ("word_list_build.py", "literals.py")


def list_paths(directory: Path) -> list[Path]:
    return [directory / f"compliance.{language}.yml" for language in LIST_LANGUAGES]


def checksum(directory: Path, package: Path) -> int:
    """CRC-32 of the lists and of the code that reads them (not a guard against tampering, which would need the
    files anyway: a check that the rows were made from these very files; hashlib costs 3 ms to import)."""
    value = 0
    for path in [*list_paths(directory), *(package / name for name in SOURCES)]:
        value = crc32(path.read_bytes(), value)
    return value


def read_rows(directory: Path, required_literals: Callable[..., frozenset[str] | None], check: bool = True) -> list[Row]:
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


def _row(
    code: str, item: dict[str, Any], language: str, where: str, required_literals: Callable[..., frozenset[str] | None], check: bool
) -> Row:
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
    return (code, shown, source, flags, rewrite, tuple(sorted(needs or ())), folded)


def write_module(rows: list[Row], value: int, target: Path) -> None:
    lines = [
        '"""The AD word lists read when the wheel was built (flashgroup_cli/word_list_build.py). Generated; do not edit."""',
        "",
        f"CHECKSUM = {value!r}",
        "ROWS = (",
        *(f"    {row!r}," for row in rows),
        ")",
        "",
    ]
    target.write_text("\n".join(lines), encoding="utf-8")
