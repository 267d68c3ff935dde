"""The method's rules in words, for `flashgroup rules`: templates/rules.<lang>.yml (words live in templates/, not in code).

Each rule has a one-line title, what the method says, why, what to do, and, when a check enforces it, what the check
reports. The codes are RULES.md's IDs plus the tool's own checks (TIME-*, CHK-*); code order follows check_registry.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .check_registry import code_order
from .records import record
from .resources import templates_dir

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any

FIELDS = ("title", "says", "why", "fix")


@record
class RuleText:
    code: str
    title: str  # the one-line summary
    says: str  # what the method says
    why: str
    fix: str  # what to do
    check: str | None = None  # what `flashgroup check` reports for it, when a check enforces it

    @property
    def family(self) -> str:
        return self.code.split("-")[0]


@record
class Catalog:
    language: str
    rules: dict[str, RuleText]  # in code order: SEL-1 ... END-5, TIME-1, ..., CHK-1
    sections: dict[str, str]  # family → heading (选品, Warm-up ...)
    headings: dict[str, str]  # the words around the rules: says, why, fix, check, no_check, severities ...
    severities: dict[str, str]  # error → 错误

    def find(self, code: str) -> RuleText | None:
        return self.rules.get(code.strip().upper())


@cache
def load_catalog(language: str, directory: Path | None = None) -> Catalog:
    """The rules of one language; KeyError/ValueError name the rule or key that is missing (a bug in the shipped file)."""
    import yaml

    path = (directory or templates_dir()) / f"rules.{language}.yml"
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    rules = {}
    for code in sorted(data["rules"], key=code_order):
        entry = data["rules"][code]
        missing = [f for f in FIELDS if not str(entry.get(f) or "").strip()]
        if missing:
            raise ValueError(f"{path}: rule {code} lacks {', '.join(missing)}")
        check = entry.get("check")
        title, says, why, fix = (_clean(entry[f]) for f in FIELDS)
        rules[code] = RuleText(code, title, says, why, fix, check=_clean(check) if check else None)
    return Catalog(language, rules, dict(data["sections"]), dict(data["headings"]), dict(data["severities"]))


def _clean(text: object) -> str:
    return "\n".join(line.rstrip() for line in str(text).strip().splitlines())


def campaign_language(path: Path) -> str:
    """The `language` of a campaign file, read without validating the rest (so a broken file can still be explained)."""
    from .campaign_file import language_named
    from .yaml_source import load_yaml, read_campaign_text

    data, _ = load_yaml(read_campaign_text(path, str(path)), str(path))
    language = data.get("language") if isinstance(data, dict) else None
    return (language_named(language) if isinstance(language, str) else None) or "zh"
