"""`flashgroup rules`: the list of every rule with its one-line summary, or one rule explained, in plain text."""

from __future__ import annotations

import textwrap
import unicodedata

from ..rules_catalog import Catalog, RuleText

INDENT = "  "
WRAP = 96  # English only: Chinese lines are left to the terminal, which wraps them at any character


def render_rule_list(catalog: Catalog, severities: dict[str, tuple[str, ...]]) -> str:
    """Section by section: code, the severities its checks report (blank: no check), the one-line title."""
    labels = {code: _severities(catalog, severities.get(code, ())) for code in catalog.rules}
    code_width = max(len(code) for code in catalog.rules)
    label_width = max(_width(label) for label in labels.values())
    lines: list[str] = []
    family = None
    for code, rule in catalog.rules.items():
        if rule.family != family:
            family = rule.family
            lines += ([""] if lines else []) + [catalog.sections.get(family, family)]
        lines.append(f"{INDENT}{code.ljust(code_width)}  {_pad(labels[code], label_width)}  {rule.title}".rstrip())
    lines += ["", catalog.headings["list_hint"]]
    return "\n".join(lines) + "\n"


def render_rule(catalog: Catalog, rule: RuleText, severities: tuple[str, ...]) -> str:
    """One rule: code, section and title; what the method says, why, what to do, and what the check reports."""
    head = f"{rule.code} · {catalog.sections.get(rule.family, rule.family)}"
    label = _severities(catalog, severities)
    lines = [f"{head} · {label}" if label else head, rule.title, ""]
    h = catalog.headings
    for heading, text in ((h["says"], rule.says), (h["why"], rule.why), (h["fix"], rule.fix)):
        lines += [heading, *_paragraphs(text, catalog.language), ""]
    lines += [h["check"], *_paragraphs(rule.check or h["no_check"], catalog.language)]
    return "\n".join(lines) + "\n"


def _severities(catalog: Catalog, codes: tuple[str, ...]) -> str:
    return "/".join(catalog.severities.get(s, s) for s in codes)


def _paragraphs(text: str, language: str) -> list[str]:
    out = []
    for paragraph in text.splitlines():
        if language == "en":
            out += textwrap.wrap(paragraph, WRAP, initial_indent=INDENT, subsequent_indent=INDENT) or [""]
        else:
            out.append(INDENT + paragraph)
    return out


def _width(text: str) -> int:
    """Columns on a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
