"""The fast AD word search (issue 13) finds exactly what the straightforward one does: the same hits in the same order
at the same offsets, and so the same findings at the same locations, over the examples, the fixtures and generated
texts with hits and near-misses in both languages (mixed case, odd spacing, the characters case-folding treats
specially). The reference below is the search as it was: every entry's pattern run over every text."""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import pytest

from flashgroup_cli import checks, compliance, literals
from flashgroup_cli.campaign_file import load_campaign
from flashgroup_cli.check_registry import Context, Hit
from flashgroup_cli.checks import lint
from flashgroup_cli.compliance import WORD_CODES, Entry, WordHit, copy_findings, find_words, published_texts, word_lists
from flashgroup_cli.errors import UserError
from flashgroup_cli.literals import UNFOLDABLE, required_literals
from flashgroup_cli.pipeline import campaign_document
from flashgroup_cli.records import replace
from flashgroup_cli.render import template_name

from .conftest import EXAMPLES
from .test_checks import FIXTURES


def reference_find_words(text: str, codes: tuple[str, ...] = WORD_CODES) -> list[WordHit]:
    """find_words as it was: one search per entry, no pre-check."""
    found = []
    for entry in word_lists():
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


def reference_word_hits(c: Context, code: str):  # type: ignore[no-untyped-def]
    """checks._word_hits as it was: the texts searched once per AD code."""
    for path, text in published_texts(c.campaign):
        for hit in reference_find_words(text, (code,)):
            where = path if c.declared(path) else path.rpartition("[")[0] or path
            yield Hit(where, *compliance.word_message(hit, text, c.language))


def _hits(found: list[WordHit]) -> list[tuple[str, str, int, int, str]]:
    return [(h.code, h.word, h.offset, h.end, h.shown) for h in found]


# -- Generated texts: every listed word and a hit for every pattern, in context, and their near-misses -------------
PATTERN_HITS = [
    # zh
    "最好",
    "手气最佳",
    "最佳",
    "第一名",
    "第一次",
    "第一时间",
    "100%",
    "100 ％",
    "百分百",
    "集赞",
    "集满20个赞",
    "攒赞",
    "转发朋友圈送红包",
    "分享到群里领券",
    "分享给大家，送货上门",
    "转发就送货",
    "邀请3个好友领红包",
    "拉5位朋友免单",
    "拉人进群",
    "降血压",
    "降了血糖",
    "血压也降了",
    "血糖都低下来",
    "抗癌",
    "抗肿瘤",
    # en
    "the best apples",
    "the best-selling box",  # "best-selling" (another entry's need) starts where "best" does
    "our best before date",
    "the best of luck",
    "at its best",
    "best ever",
    "best in the world",
    "best in town",
    "best quality",
    "the world's best",
    "No. 1",
    "no.1",
    "No 1 seller",
    "#1",
    "# 1 pick",
    "number one",
    "top1",
    "top 10",
    "100%",
    "100 %",
    "a hundred percent",
    "our regular price",
    "usual price",
    "was $20",
    "was ¥ 9",
    "RRP",
    "compare at",
    "collect 20 likes",
    "collecting likes",
    "like-collecting",
    "share this and get a gift",
    "forward to 3 friends to win",
    "sharing is caring. get one",
    "repost for a red envelope",
    "invite 3 friends to get cash back",
    "bring your friends and win",
    "refer people, free gift",
    "cures colds",
    "it heals",
    "remedy",
    "treats acne",
    "a Sunday treat",
    "lowers your blood pressure",
    "reduces cholesterol",
    "anti-cancer",
    "anticancer",
    "prevents illness",
    "boosts immunity",
    "strengthens your immune",
    "detoxify",
    "weight loss",
    "weight-loss",
    "slimming",
    "fat burning",
    "whitening",
    "spot-removing",
    "removes dark spots",
    "anti-wrinkle",
    "hair regrowth",
    "healthy",
    "bestow",
    "none",
    "know",
    "normally $5",
    "originally ¥30",
]
FILLERS = ["", " ", "  ", "\n", "。", "，", ".", "!", "-", "x", "好", "apples", "果园直发", "3", "$", "_", "the ", " and "]
ODD = ["İ", "ı", "ſ", "K", "ß", "Σ", "é", "Ａ", "１"]


def _listed_words() -> list[str]:
    import yaml

    from flashgroup_cli.resources import templates_dir

    words = []
    for language in ("zh", "en"):
        path = templates_dir() / f"compliance.{language}.yml"
        for items in yaml.safe_load(path.read_text(encoding="utf-8")).values():
            for item in items:
                words += [str(w) for w in item.get("words", ())]
    return words


def _variants(phrase: str, rng: random.Random) -> list[str]:
    """The phrase as written, in upper and title case, with its spaces doubled or turned into line breaks, with an
    ASCII letter swapped for a look-alike case-folding treats specially, and cut short (a near-miss)."""
    out = [phrase, phrase.upper(), phrase.title(), phrase.replace(" ", "  "), phrase.replace(" ", "\n"), phrase[:-1], phrase[1:]]
    for plain, odd in (("s", "ſ"), ("k", "K"), ("i", "ı"), ("i", "İ"), ("I", "İ")):
        if plain in phrase:
            out.append(phrase.replace(plain, odd, 1))
    out.append(phrase + rng.choice(ODD))
    return out


def generated_texts(count: int = 3000, seed: int = 13, more: tuple[str, ...] = ()) -> list[str]:
    rng = random.Random(seed)
    phrases = PATTERN_HITS + _listed_words() + list(more)
    texts = []
    for phrase in phrases:
        for variant in _variants(phrase, rng):
            texts.append(rng.choice(FILLERS) + variant + rng.choice(FILLERS))
    for _ in range(count):  # several phrases, variants and fillers in one text, as a rendered message mixes them
        parts = []
        for _ in range(rng.randint(1, 6)):
            parts.append(rng.choice(FILLERS))
            parts.append(rng.choice(_variants(rng.choice(phrases), rng)))
        texts.append("".join(parts))
    return texts


def test_generated_texts_hold_hits_and_near_misses_of_every_code() -> None:
    texts = generated_texts(300)
    codes = {h.code for text in texts for h in reference_find_words(text)}
    assert codes == set(WORD_CODES)
    assert sum(1 for t in texts if not reference_find_words(t)) > 50  # near-misses too
    assert any(c in t for t in texts for c in UNFOLDABLE)


@pytest.fixture(params=["whole", "words"])
def prefilter(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of finding the needs: in each whole text (one campaign) and from what each word holds, remembered
    (after WORDS_AFTER texts, a folder): the same entries get searched either way."""
    monkeypatch.setattr(compliance, "WORDS_AFTER", 10**9 if request.param == "whole" else 0)
    compliance._prefilter().words.clear()
    return str(request.param)


def test_find_words_finds_what_the_reference_finds_in_generated_texts(prefilter: str) -> None:
    for text in generated_texts():
        assert _hits(find_words(text)) == _hits(reference_find_words(text)), text
        for code in WORD_CODES:
            assert _hits(find_words(text, (code,))) == _hits(reference_find_words(text, (code,))), (code, text)


def test_remembered_words_let_through_what_whole_texts_do(monkeypatch: pytest.MonkeyPatch) -> None:
    """The two ways of finding the needs give the very same entries for every text, also when few words are
    remembered and the memory starts again often (WORD_LENGTH, WORDS_KEPT)."""
    texts = generated_texts(1500, seed=7)
    monkeypatch.setattr(compliance, "WORDS_AFTER", 10**9)
    whole = [set(compliance._worth_searching(text)) for text in texts]
    monkeypatch.setattr(compliance, "WORDS_AFTER", 0)
    for length, kept in ((16, 1 << 16), (3, 5)):
        monkeypatch.setattr(compliance, "WORD_LENGTH", length)
        monkeypatch.setattr(compliance, "WORDS_KEPT", kept)
        compliance._prefilter().words.clear()
        for _ in range(2):  # words first seen, then remembered
            assert [set(compliance._worth_searching(text)) for text in texts] == whole
    compliance._prefilter().words.clear()


# Lists a user could write: needs with whitespace in them (a literal space, an ideographic space, a tab), Latin with
# case in the Chinese list (not lowered: always searched), patterns with no needs (inline flags, classes only), words
# and patterns sharing strings, sets of several strings.
USER_LISTS = {
    "zh": """
AD-1:
  - words: [全网　最低, 销冠, 第一名]
    rewrite: 很好
  - pattern: 'NO\\.1|TOP1'
    rewrite: 很好
  - pattern: '[一二三]等奖|(?i:最)'
    rewrite: 很好
  - pattern: '[一-龥]{2}之王'
    rewrite: 很好
AD-4:
  - pattern: '降\\s*血\\s*压|(控|降)(血糖|血脂)'
    rewrite: 去掉
""",
    "en": """
AD-1:
  - words: [top pick, best buy, No. 1]
    rewrite: good
  - pattern: 'best ever|no\\. 1|a\\tb'
    rewrite: good
  - pattern: '[a-z]+ly free|\\bfree(bie)?s?\\b'
    rewrite: good
AD-2:
  - pattern: '\\bwas\\s+\\$\\d|\\bRRP\\b'
    rewrite: say what you compare with
""",
}
USER_PHRASES = tuple(
    "全网\u3000最低|全网 最低|全网最低|销冠|第一名|NO.1|no.1|TOP1|Top1|一等奖|最|果王之王|降 血压|降血 压|控血糖|降血脂|"
    "top pick|Top  Pick|best buy|No. 1|best ever|no. 1|a\tb|a b|totally free|freebies|free|was $5|RRP|rrp".split("|")
)


@pytest.fixture
def user_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Entry, ...]:
    """find_words and the reference search working from the lists above (word_lists(directory)), with the pre-check's
    table made from them."""
    from flashgroup_cli import word_list_build

    for language, text in USER_LISTS.items():
        (tmp_path / f"compliance.{language}.yml").write_text(text, encoding="utf-8")
    entries = word_lists(tmp_path)
    rows = word_list_build.read_rows(tmp_path, required_literals)
    assert [tuple(vars(e).values()) for e in entries] == rows
    prefilter = compliance._Prefilter(word_list_build.prefilter(rows))
    assert prefilter.always and prefilter.spaced  # the cases above are there
    monkeypatch.setattr(compliance, "word_lists", lambda: entries)
    monkeypatch.setattr(compliance, "_prefilter", lambda: prefilter)
    monkeypatch.setitem(globals(), "word_lists", lambda: entries)
    return entries


def test_find_words_finds_what_the_reference_finds_with_user_lists(user_lists: tuple[Entry, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    texts = generated_texts(1500, seed=5, more=USER_PHRASES)
    for after in (10**9, 0):  # whole texts, then words
        monkeypatch.setattr(compliance, "WORDS_AFTER", after)
        for text in texts:
            assert _hits(find_words(text)) == _hits(reference_find_words(text)), text
    assert {h.shown for text in texts for h in reference_find_words(text)} == {e.shown for e in user_lists}


def _campaign_files() -> list[Path]:
    """The examples and every check fixture that loads (sel-5-six-products is a load error)."""
    return sorted(EXAMPLES.glob("*.yml")) + sorted(p for p in FIXTURES.glob("*.yml") if p.name != "sel-5-six-products.yml")


def _plan_rows(campaign, language: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    try:
        document = campaign_document(replace(campaign, language=language), plan=True)
    except UserError:
        return []
    return [(template_name(row.event.kind, language), row.text) for row in document.rows]


@pytest.mark.parametrize("path", _campaign_files(), ids=lambda p: p.stem)
def test_find_words_finds_what_the_reference_finds_in_the_files_and_their_copy(path: Path, prefilter: str) -> None:
    campaign = load_campaign(path)
    texts = [text for _, text in published_texts(campaign)]
    for language in ("zh", "en"):
        texts += [text for _, text in _plan_rows(campaign, language)]
    assert texts
    for text in texts:
        assert _hits(find_words(text)) == _hits(reference_find_words(text)), text


def _all_findings(campaign) -> list:  # type: ignore[no-untyped-def]
    found = lint(campaign)
    for language in ("zh", "en"):
        rows = _plan_rows(campaign, language)
        found += copy_findings(replace(campaign, language=language), rows, None, frozenset(WORD_CODES))
    return found


def _with_hits(path: Path, rng: random.Random) -> str:
    """The campaign file with listed words and near-misses written into its plain list items and product names."""
    text = path.read_text(encoding="utf-8")
    phrases = PATTERN_HITS + _listed_words()

    def seeded(m: re.Match[str]) -> str:
        value = f"{m[2]} {rng.choice(phrases)}，{rng.choice(phrases)}"
        return m[1] + json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one

    return re.sub(r"(?m)^(\s+- (?:name: )?|\s+name: )([^\s\"'{\[|>&*!#].*)$", seeded, text)


@pytest.mark.parametrize("path", _campaign_files(), ids=lambda p: p.stem)
def test_findings_are_those_of_the_reference_search(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same findings, same order, same locations, with the fast search and with the reference one (the file as it
    is, and with listed words and near-misses written into it)."""
    seeded = tmp_path / path.name
    seeded.write_text(_with_hits(path, random.Random(path.name)), encoding="utf-8")
    campaigns = [load_campaign(path), load_campaign(seeded)]
    fast = [_all_findings(c) for c in campaigns]
    monkeypatch.setattr(compliance, "find_words", reference_find_words)
    monkeypatch.setattr(checks, "_word_hits", reference_word_hits)
    slow = [_all_findings(c) for c in campaigns]
    assert fast == slow
    if path.parent == FIXTURES:
        assert any(f.code.startswith("AD-") for f in fast[1])  # the seeded file has AD findings to compare


def _sets(*needs: str) -> frozenset[frozenset[str]]:
    """Sets of needs written as "a b|c": every match holds a and b, or c."""
    return frozenset(frozenset(need.split(" ")) for need in needs)


@pytest.mark.parametrize(
    ("source", "ignore_case", "needs"),
    [
        ("全网最低|史上最低", False, _sets("全网最低", "史上最低")),
        ("最好|(?<!手气)最佳", False, _sets("最好", "最佳")),
        (r"集赞|集满\d*个?赞", False, _sets("集赞", "集满 赞")),
        (r"(?<![\w-])(?:best\-selling|most\s+popular)(?![\w-])", True, _sets("best-selling", "most popular")),
        (r"\b(the|our)\s+best\b|\bbest\s+ever\b", True, _sets("the best", "our best", "best ever")),
        (r"\bRRP\b", True, _sets("rrp")),
        # The parts of a sequence all count ("no" alone is in every "not"), each branch its own set.
        (r"\bno\.?\s?1\b|#\s?1\b|\bnumber\s+one\b", True, _sets("no 1", "# 1", "number one")),
        (r"(a|b)x(c|d)", False, _sets("a x c", "a x d", "b x c", "b x d")),
        (r"ab{2,}c", False, _sets("a b c")),
        (r"x[abc]?y", False, _sets("x y")),
        # What is implied goes: a string inside another of its set, a set that holds more than another.
        (r"best.*best-seller|seller", False, _sets("seller")),
        (r"abc.*b", False, _sets("abc")),
    ],
)
def test_required_literals_of_a_pattern(source: str, ignore_case: bool, needs: frozenset[frozenset[str]]) -> None:
    assert required_literals(source, ignore_case) == needs


def test_required_literals_keep_a_sequence_to_most_sets() -> None:
    """A sequence whose sets would multiply past MOST_SETS keeps its most selective parts (here the pair of three-letter strings,
    then "x"; with the group of as many strings as MOST_SETS there would be twice as many sets): still sound."""
    source = "(" + "|".join(f"q{i:02d}" for i in range(literals.MOST_SETS)) + ")x(aaa|bbb)"
    assert required_literals(source) == _sets("aaa x", "bbb x")
    assert required_literals("(" + "|".join(f"q{i:02d}" for i in range(literals.MOST_SETS)) + ")x") == frozenset(
        frozenset([f"q{i:02d}", "x"]) for i in range(literals.MOST_SETS)
    )


def test_every_match_holds_one_set_of_needs() -> None:
    """Soundness over the generated texts: whenever an entry matches a text, the lowered text holds every string of
    one of the entry's sets (texts with a character lowering would not keep are searched in full anyway)."""
    matched = 0
    for text in generated_texts(1500):
        if any(c in text for c in UNFOLDABLE):
            continue
        lowered = text.lower()
        for entry in word_lists():
            if entry.pattern.search(text):
                matched += 1
                assert any(all(s in lowered for s in need) for need in entry.needs), (entry.shown, text)
    assert matched > 1000


@pytest.mark.parametrize(
    "source",
    [
        r"(?i)best",  # inline flags
        r"(a)\1",  # a back-reference
        r"a?",  # may match nothing
        r"\w+",  # no literal at all
        r"a|\d",  # one branch without a literal
        r"(?P<x>a)(?P=x)",
        r"a{",  # re reads "{" as a literal here
        r"\x41",  # an escape not read here
        r"(?:a",  # unbalanced
        r"a)",
    ],
)
def test_required_literals_gives_up_on_what_it_does_not_read(source: str) -> None:
    assert required_literals(source) is None


def test_every_character_case_folding_treats_specially_is_listed() -> None:
    """Lowering the text is exact for the case-insensitive entries except for the characters in UNFOLDABLE: those that
    re.IGNORECASE matches with an ASCII character although they are not ASCII, and those whose lower case is longer."""
    ascii_ignoring_case = re.compile("[\x00-\x7f]", re.IGNORECASE)
    special = {c for c in map(chr, range(0x80, sys.maxunicode + 1)) if ascii_ignoring_case.fullmatch(c) or len(c.lower()) != 1}
    assert special <= set(UNFOLDABLE)
    assert all(len(c.lower()) == 1 for c in map(chr, range(0x80)))


def test_one_campaign_compiles_only_the_entries_its_texts_may_match() -> None:
    """Patterns are compiled on first use, and the needs are found in whole texts until WORDS_AFTER texts, with no
    expression of their own: a campaign whose texts hold no listed word compiles nothing (issue 13: compiling every
    list was a sixth of `timeline`)."""
    compliance._compiled.cache_clear()
    compliance._prefilter.cache_clear()  # as in a new process
    assert find_words("山东烟台红富士 10斤，脆甜多汁") == []
    assert compliance._compiled.cache_info().currsize == 0
    assert compliance._prefilter().find_keys is None and not compliance._prefilter().words
    assert [h.word for h in find_words("全网最低价，the cheapest in town")] == ["全网最低", "cheapest in town"]
    assert 0 < compliance._compiled.cache_info().currsize < len(word_lists()) / 4
    compliance._prefilter.cache_clear()


def test_every_shipped_entry_compiles_and_a_bad_list_is_refused(tmp_path: Path) -> None:
    for entry in word_lists():
        assert entry.pattern.search("") is None or entry.code  # compiles
    for language in ("zh", "en"):
        (tmp_path / f"compliance.{language}.yml").write_text("AD-1:\n  - pattern: '最(好'\n    rewrite: 很好\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"compliance.zh.yml: AD-1\[0\]: bad pattern"):
        word_lists(tmp_path)


def test_every_shipped_entry_gets_a_pre_check() -> None:
    """Not needed for correctness (an entry without one is always searched), but it is what keeps the search fast."""
    assert all(entry.needs for entry in word_lists())


def test_the_lists_read_at_build_time_are_used_while_their_checksum_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The wheel's `_word_lists` (hatch_build.py) holds the rows read from the YAML; word_lists() takes them only
    while the lists and the code reading them are the ones they were made from (issue 13)."""
    import importlib.util

    from flashgroup_cli import literals, word_list_build
    from flashgroup_cli.resources import templates_dir

    shipped, package = templates_dir(), Path(word_list_build.__file__).parent
    rows = word_list_build.read_rows(shipped, literals.required_literals)
    target = tmp_path / "_word_lists.py"
    word_list_build.write_module(rows, word_list_build.checksum(shipped, package), target)
    spec = importlib.util.spec_from_file_location("flashgroup_cli._word_lists", target)
    assert spec is not None and spec.loader is not None
    built = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(built)
    assert list(built.ROWS) == rows
    assert built.PREFILTER == word_list_build.prefilter(rows)
    monkeypatch.setitem(sys.modules, "flashgroup_cli._word_lists", built)

    def clear() -> None:
        for cached in (word_lists, compliance._lists, compliance._prefilter):
            cached.cache_clear()

    clear()
    try:
        from_table = word_lists()
        assert [tuple(vars(e).values()) for e in from_table] == rows
        assert compliance._lists(None)[1] is built.PREFILTER
        monkeypatch.setattr(built, "ROWS", (("AD-1", "x", "x", 0, "y", (("x",),), False),))
        clear()
        assert len(word_lists()) == 1  # taken from the table while the checksum holds
        monkeypatch.setattr(built, "CHECKSUM", built.CHECKSUM ^ 1)
        clear()
        assert word_lists() == from_table  # a stale table is not used: the YAML is read
        assert compliance._lists(None)[1] == built.PREFILTER  # and the pre-check made from it
    finally:
        clear()
