"""The words advertising law and WeChat forbid (AD-1, AD-3, AD-4): where they are looked for and how they are matched.

The word lists are data (templates/compliance.zh.yml, templates/compliance.en.yml); this module compiles them once
and finds them in two places: every text of the campaign file that will be published (located at its key), and the
rendered copy of every template (located at the template's line), so a user template that writes 全网最低 is caught.
Pure apart from reading the shipped lists; nothing printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from .errors import Location
from .findings import Finding
from .model import Campaign, Product
from .records import record
from .word_list_build import WORD_CODES


@record
class Entry:
    code: str
    shown: str  # the word as messages name it
    source: str  # the regular expression
    flags: int
    rewrite: str
    # Strings one of which every match contains (literals.py), looked for before the pattern is run: lowered and
    # looked for in the lowered text when the pattern ignores case. Empty: the pattern is always run.
    needs: tuple[str, ...] = ()
    folded: bool = False

    @property
    def pattern(self) -> re.Pattern[str]:
        """Compiled on first use: a campaign needs few of the forty, and compiling them all was a sixth of a
        `timeline` run (issue 13)."""
        return _compiled(self.source, self.flags)


@cache
def _compiled(source: str, flags: int) -> re.Pattern[str]:
    return re.compile(source, flags)


@record
class WordHit:
    code: str
    word: str  # the text that matched, as written
    shown: str  # the entry's name (第一, the best ...)
    rewrite: str
    offset: int  # where in the text
    end: int
    entry: Entry


@cache
def word_lists(directory: Path | None = None) -> tuple[Entry, ...]:
    """Every entry of both lists (the shipped ones unless `directory` is given); a malformed list raises ValueError
    naming the entry. Expressions are compiled on first use (Entry.pattern)."""
    from . import word_list_build as build

    if directory is not None:
        from .literals import required_literals

        return tuple(Entry(*row) for row in build.read_rows(directory, required_literals))
    from .resources import templates_dir

    try:
        from . import _word_lists as built  # type: ignore[attr-defined]  # only in the wheel (hatch_build.py)
    except ImportError:
        built = None
    shipped = templates_dir()
    if built is not None and built.CHECKSUM == build.checksum(shipped, Path(__file__).parent):
        return tuple(Entry(*row) for row in built.ROWS)
    from .literals import required_literals

    return tuple(Entry(*row) for row in build.read_rows(shipped, required_literals, check=False))


def find_words(text: str, codes: tuple[str, ...] = WORD_CODES) -> list[WordHit]:
    """Every listed word in `text`, in the order they appear: at most one hit per entry, and a word overlapping one
    already found is not reported again (销量第一 and 全网最低价 are one claim each, not two)."""
    found = []
    entries = word_lists()
    for i in sorted(_worth_searching(text)):  # in list order, as the hits of one place are ordered by it
        entry = entries[i]
        if entry.code in codes:
            match = entry.pattern.search(text)
            if match:
                found.append(WordHit(entry.code, match.group(0), entry.shown, entry.rewrite, match.start(), match.end(), entry))
    found.sort(key=lambda h: (h.offset, -(h.end - h.offset), h.code))
    hits: list[WordHit] = []
    for hit in found:
        if not any(h.code == hit.code and h.offset < hit.end and hit.offset < h.end for h in hits):
            hits.append(hit)
    return hits


def _worth_searching(text: str) -> Iterable[int]:
    """The entries (indices into word_lists()) that may match `text`: those whose pattern has no `needs`, and those
    one of whose `needs` the text holds, so a text without any listed word costs a look for the needs instead of one
    search per entry (issue 13)."""
    from .literals import UNFOLDABLE

    if not text.isascii() and any(c in text for c in UNFOLDABLE):
        return range(len(word_lists()))  # lowering would not be exact: search with every entry
    lowered = text.lower()
    prefilter = _prefilter()
    worth = set(prefilter.always)
    if prefilter.texts < SCANNER_AFTER:
        # A few hundred texts (one campaign): `in` for each need, with nothing to compile.
        prefilter.texts += 1
        for need, owners in prefilter.owners:
            if need in lowered:
                worth |= owners
        return worth
    # Many campaigns: one pass of one expression over the text finds every need it holds.
    scanner, by_found = _needs_scanner()
    search, at = scanner.search, 0
    while match := search(lowered, at):
        worth |= by_found[match.group(0)]
        at = match.start() + 1  # every position: needs may overlap (no / normally)
    return worth


# Texts looked at with `in` before the scanner is compiled: its compile costs about as much as `in` over 500 texts.
SCANNER_AFTER = 500


class _Prefilter:
    """Which entries each need lets through, and how many texts have been looked at this way."""

    def __init__(self) -> None:
        owners: dict[str, set[int]] = {}
        always = set()
        for i, entry in enumerate(word_lists()):
            # An entry that ignores case has lowered needs; one that does not is looked for in the lowered text only
            # if its needs have no case at all (Chinese words, digits), else it is always searched.
            if not entry.needs or not (entry.folded or all(n == n.lower() == n.upper() for n in entry.needs)):
                always.add(i)
                continue
            for need in entry.needs:
                owners.setdefault(need, set()).add(i)
        self.owners = tuple((need, frozenset(which)) for need, which in sorted(owners.items()))
        self.always = frozenset(always)
        self.texts = 0


@cache
def _prefilter() -> _Prefilter:
    return _Prefilter()


@cache
def _needs_scanner() -> tuple[re.Pattern[str], dict[str, frozenset[int]]]:
    """The expression finding every need in a lowered text (the longest one at each position), and which entries each
    found string lets through: it and every need it starts with. The same entries as `in` for each need."""
    owners = dict(_prefilter().owners)
    by_found = {need: frozenset(i for other, which in owners.items() if need.startswith(other) for i in which) for need in owners}
    return re.compile(_trie(sorted(owners)) or "(?!)"), by_found


def _trie(words: list[str]) -> str:
    """An expression matching any of `words`, written as a tree of their letters (a|b(?:c|d)...), so the engine
    tries one branch per distinct next letter instead of every word; at each position it takes the longest word."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}

    def branches(node: dict[str, dict]) -> list[str]:
        return [re.escape(letter) + below(child) for letter, child in sorted(node.items()) if letter]

    def below(node: dict[str, dict]) -> str:
        alternatives = branches(node)
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    return "|".join(branches(root))


def says_own_price(product: Product) -> bool:
    """The file says the reference price is the brand's own recent price: its `reference_label` is 日常价, 原价 ..."""
    return bool(product.reference_label and find_words(product.reference_label, ("AD-2",)))


def published_texts(campaign: Campaign) -> Iterator[tuple[str, str]]:
    """(YAML path, text) of everything in the file that ends up in front of customers, in file order of keys."""
    yield "name", campaign.name
    yield "voice", campaign.voice
    for i, product in enumerate(campaign.products):
        base = f"products[{i}]"
        yield f"{base}.name", product.name
        if product.short:
            yield f"{base}.short", product.short
        if product.reference_label:
            yield f"{base}.reference_label", product.reference_label
        for key, items in (("selling_points", product.selling_points), ("reviews", product.reviews)):
            for j, text in enumerate(items):
                yield f"{base}.{key}[{j}]", text
        if product.worry:
            yield f"{base}.worry.question", product.worry.question
            yield f"{base}.worry.answer", product.worry.answer
        if product.linked_offer:
            yield f"{base}.linked_offer", product.linked_offer
    for i, tier in enumerate(campaign.tiers):
        yield f"tiers[{i}].gift", tier.gift
    yield "survey.question", campaign.survey.question
    for i, option in enumerate(campaign.survey.options):
        yield f"survey.options[{i}]", option
    if campaign.benefit and campaign.benefit != campaign.survey.winner:
        yield "benefit", campaign.benefit
    if campaign.liker_gift:
        yield "liker_gift", campaign.liker_gift
    if campaign.giveaway:
        yield "giveaway", campaign.giveaway
    if campaign.payment:
        yield "payment.method", campaign.payment.method
        if campaign.payment.note:
            yield "payment.note", campaign.payment.note
    f = campaign.fulfilment
    for key, value in (("pickup.where", f.where), ("local_delivery.area", f.area), ("local_delivery.when", f.when)):
        if value:
            yield f"fulfilment.{key}", value
    d = campaign.wrapup_details
    for key, fact in (("gift", d.gift), ("product", d.product), ("claim", d.claim)):
        if fact:
            yield f"wrapup.{key}", fact
    for i, review in enumerate(campaign.results.reviews if campaign.results else ()):
        yield f"results.reviews[{i}]", review


def word_message(hit: WordHit, text: str, language: str) -> tuple[str, str]:
    """The message and fix of a word finding, in the findings' language (templates/findings.<language>.yml)."""
    from .check_registry import finding_words

    words = finding_words(language)
    start, end = max(0, hit.offset - 16), min(len(text), hit.end + 16)
    quoted = ("..." if start else "") + " ".join(text[start:end].split()) + ("..." if end < len(text) else "")
    what = words["words"][{"AD-1": "absolute_claim", "AD-2": "own_price", "AD-3": "sharing_reward", "AD-4": "health_claim"}[hit.code]]
    quote = words["words"]["quote"]
    values = {"word": quote.format(text=hit.word), "quoted": quote.format(text=quoted), "what": what, "why": words[hit.code]["why"]}
    return words["AD"]["message"].format(**values), words["AD"]["fix"].format(word=hit.word, rewrite=hit.rewrite)


def copy_findings(
    campaign: Campaign, rows: list[tuple[str, str]], templates: Path | None, codes: frozenset[str], language: str | None = None
) -> list[Finding]:
    """AD findings in the rendered copy: (template name, text) of each published text. A word the file itself holds is
    already reported at its key; any other comes from a template, and is located at the template's line that writes
    it (the user's template from `--templates` when it replaced the shipped one)."""
    from .check_registry import REGISTRY, finding_words
    from .resources import templates_dir

    severity = {check.code: check.severity for check in REGISTRY}
    wanted = tuple(code for code in WORD_CODES if code in codes)
    if not wanted:
        return []
    from_file = [text for _, text in published_texts(campaign)]
    if any(says_own_price(p) for p in campaign.products):
        wanted = tuple(code for code in wanted if code != "AD-2")  # the copy names the file's own label
    findings: dict[tuple[Location, str], Finding] = {}
    for name, text in rows:
        for hit in find_words(text, wanted):
            if any(hit.entry.pattern.search(value) for value in from_file):
                continue
            path = templates / name if templates and (templates / name).is_file() else templates_dir() / name
            where = _in_template(path, hit.entry)
            message, fix = word_message(hit, text, language or campaign.language)
            message = finding_words(language or campaign.language)["AD"]["copy"].format(template=name, message=message)
            findings.setdefault((where, hit.shown), Finding(hit.code, severity[hit.code], where, "", message, fix))
    return sorted(findings.values(), key=lambda f: f.sort_key)


def _in_template(path: Path, entry: Entry) -> Location:
    """The line and column of a template where the entry's word is written; the template's top when it is made of
    values only (the word comes from several values put together)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    for number, line in enumerate(lines, 1):
        match = entry.pattern.search(line)
        if match:
            return Location(str(path), number, match.start() + 1)
    return Location(str(path), 1, 1)
