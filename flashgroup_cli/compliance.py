"""The words advertising law and WeChat forbid (AD-1, AD-3, AD-4): where they are looked for and how they are matched.

The word lists are data (templates/compliance.zh.yml, templates/compliance.en.yml); this module compiles them once
and finds them in two places: every text of the campaign file that will be published (located at its key), and the
rendered copy of every template (located at the template's line), so a user template that writes 全网最低 is caught.
Pure apart from reading the shipped lists; nothing printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path

from .errors import Location
from .findings import Finding
from .model import Campaign, Product
from .records import record
from .word_list_build import WORD_CODES

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from .word_list_build import Prefilter


@record
class Entry:
    code: str
    shown: str  # the word as messages name it
    source: str  # the regular expression
    flags: int
    rewrite: str
    # Sets of strings, every match containing all the strings of one of them (literals.py), looked for before the
    # pattern is run: lowered and looked for in the lowered text when the pattern ignores case. Empty: always run.
    needs: tuple[tuple[str, ...], ...] = ()
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
    return _lists(directory)[0]


@cache
def _lists(directory: Path | None) -> tuple[tuple[Entry, ...], Prefilter]:
    """The entries and the pre-check's table made from them: both from the wheel's `_word_lists` while it matches
    the shipped lists and their reader, else read now."""
    from . import word_list_build as build

    if directory is None:
        from .resources import templates_dir

        try:
            from . import _word_lists as built  # type: ignore[attr-defined]  # only in the wheel (hatch_build.py)
        except ImportError:
            built = None
        shipped = templates_dir()
        if built is not None and built.CHECKSUM == build.checksum(shipped, Path(__file__).parent):
            return tuple(Entry(*row) for row in built.ROWS), built.PREFILTER
    from .literals import required_literals

    if directory is None:
        rows = build.read_rows(shipped, required_literals, check=False)
    else:
        rows = build.read_rows(directory, required_literals)
    return tuple(Entry(*row) for row in rows), build.prefilter(rows)


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
    all the strings of one of whose `needs` the text holds, so a text without any listed word costs a few look-ups
    instead of one search per entry (issue 13)."""
    prefilter = _prefilter()
    if not text.isascii() and any(map(text.__contains__, prefilter.unfoldable)):  # map: no generator (issue 13)
        return range(len(word_lists()))  # lowering would not be exact: search with every entry
    lowered = text.lower()
    if prefilter.texts < WORDS_AFTER:
        prefilter.texts += 1  # one campaign: nothing worth remembering
        leaders: Iterable[str] = prefilter.leaders(lowered)
    else:
        leaders = prefilter.leaders_by_words(lowered)
    worth = set(prefilter.always)
    led_by = prefilter.led_by
    for leader in leaders:
        for rest, owners in led_by[leader]:
            if not rest or all(map(lowered.__contains__, rest)):
                worth.update(owners)
    return worth


# Texts looked at whole before what each word holds is remembered instead (issue 13): remembering costs a first
# campaign about 0.6 ms more (the words are new, and the keys' expression is compiled), and saves about as much on
# each campaign after it; a campaign gives find_words about 70 texts, so one campaign never pays it, a folder does.
WORDS_AFTER = 200
# Words no longer than this are remembered (Chinese has no spaces: its "words" are long and seldom seen twice), at
# most WORDS_KEPT of them; then the memory starts again.
WORD_LENGTH = 16
WORDS_KEPT = 1 << 16


class _Prefilter:
    """The table of word_list_build.prefilter, the leading strings each word seen so far holds, and how many texts
    have been looked at whole."""

    def __init__(self, table: Prefilter) -> None:
        from .literals import UNFOLDABLE  # here, not in _worth_searching: an import statement costs 1 µs a text

        self.led_by, self.by_key, always = table
        self.keys = frozenset(self.by_key)
        self.always = frozenset(always)
        self.unfoldable = UNFOLDABLE
        # Leading strings that `str.split()` would cut (they hold whitespace): looked for in the whole text.
        self.spaced = tuple(s for s in self.led_by if s.split() != [s])
        self.words: dict[str, list[str]] = {}
        self.texts = 0
        self.find_keys: Callable[[str], list[str]] | None = None

    def leaders(self, text: str) -> list[str]:
        """The leading strings in a lowered text: those filed under one of its characters that it holds."""
        by_key = self.by_key
        return [s for key in self.keys.intersection(text) for s in by_key[key] if s in text]

    def leaders_by_words(self, text: str) -> set[str]:
        """The same strings, put together from what each word of the text holds, remembered (a folder's copy says the
        same words again and again): a string without whitespace is in the text only inside one of its words."""
        found = {s for s in self.spaced if s in text}
        words, by_key = self.words, self.by_key
        find_keys = self.find_keys or self._compile_keys()
        for word in text.split():
            held = words.get(word)
            if held is None:
                held = [s for key in set(find_keys(word)) for s in by_key[key] if s in word]
                if len(word) <= WORD_LENGTH:
                    if len(words) >= WORDS_KEPT:
                        words.clear()
                    words[word] = held
            if held:
                found.update(held)
        return found

    def _compile_keys(self) -> Callable[[str], list[str]]:
        """One character class of every key: it finds them in a long word (Chinese) in a third of the time of a set
        intersection, and costs about 1 ms to compile, so only a folder compiles it."""
        self.find_keys = re.compile("[" + "".join(map(re.escape, self.by_key)) + "]").findall
        return self.find_keys


@cache
def _prefilter() -> _Prefilter:
    return _Prefilter(_lists(None)[1])


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
