"""`category` and `voice` (issue 10): what the seller sells picks the WU-5 polishing stories; how the host addresses
the group is the file's word, not a hard-coded 家人们."""

from __future__ import annotations

import re

import pytest

from flashgroup_cli.campaign_file import parse_campaign
from flashgroup_cli.errors import CampaignError
from flashgroup_cli.model import CATEGORIES

from .conftest import campaign_yaml


def load(**overrides: object):  # type: ignore[no-untyped-def]
    return parse_campaign(campaign_yaml(**overrides), "c.yml")


def test_defaults_are_as_before() -> None:
    zh = load()
    assert (zh.category, zh.voice) == ("other", "家人们")
    en = load(language="en")
    assert (en.category, en.voice) == ("other", "everyone")


@pytest.mark.parametrize(
    ("written", "category"),
    [("bakery", "bakery"), ("Tea", "tea"), ("烘焙", "bakery"), ("美妆", "beauty"), ("生鲜", "fresh"), ("日用", "household")],
)
def test_category_names_in_both_languages(written: str, category: str) -> None:
    assert load(category=written).category == category


def test_unknown_category_is_a_located_error_with_a_suggestion() -> None:
    with pytest.raises(CampaignError) as caught:
        load(category="bakey")
    [problem] = caught.value.problems
    assert problem.path == "category" and "did you mean `bakery`?" in problem.message
    assert all(c in problem.message for c in CATEGORIES)


def test_voice_is_any_text() -> None:
    assert load(voice="茶友们").voice == "茶友们"


# -- WU-5 polishing stories by category --------------------------------------------------------------------------------
def polishing_stories(category: str, language: str) -> list[str]:
    """The polishing post rendered with each of the 4 story picks."""
    from flashgroup_cli.copy_context import event_context
    from flashgroup_cli.render import CopyWriter, split_note
    from flashgroup_cli.schedule import build_schedule

    campaign = load(category=category, language=language)
    schedule = build_schedule(campaign)
    writer = CopyWriter(campaign, schedule)
    event = next(e for e in schedule.events if e.kind == "moments.polishing")
    assert event.at is not None
    values = event_context(event, event.at.astimezone(campaign.zone), writer.context)
    return [split_note(writer.render(f"moments.polishing.{language}.j2", e={**values, "pick": pick}))[1] for pick in range(4)]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_each_category_has_four_stories_of_its_own(language: str) -> None:
    stories = {category: polishing_stories(category, language) for category in CATEGORIES}
    for category, texts in stories.items():
        assert len(set(texts)) == 4, category
        assert all(texts), category
    first_lines = [text.splitlines()[0] for texts in stories.values() for text in texts]
    assert len(set(first_lines)) == len(first_lines)  # no story shared between categories


def test_stories_fit_their_category() -> None:
    def told(category: str) -> str:
        return "\n".join(polishing_stories(category, "zh"))

    assert "面团" in told("bakery") and "烤" in told("bakery")
    assert "批次报告" in told("beauty") and "茶园" in told("tea") and "冷链" in told("fresh") and "工厂" in told("household")
    assert "老板" not in told("bakery") and "个头" not in told("beauty")  # the misfits
    english = "\n".join(polishing_stories("tea", "en"))
    assert "Cupping" in english and "tea garden" in english


def test_a_campaign_tells_two_different_stories_and_always_the_same_ones(tmp_path) -> None:
    from flashgroup_cli.pipeline import campaign_document

    def posts() -> list[str]:
        document = campaign_document(load(category="tea", voice="茶友们"), plan=True)
        return [r.text for r in document.rows if r.event.kind == "moments.polishing"]

    first = posts()
    assert len(first) == 2 and first[0] != first[1]
    assert posts() == first


# -- phrasings, short repeated notices, emoji, the voice (issue 10) ---------------------------------------------------
RECURRING = ("group.announcement", "group.countdown", "group.stock_update", "group.order_screenshots", "moments.launch", "moments.teaser")
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2b55\u23e9-\u23fa\u231a\u231b]")


def plan_texts(campaign, compressed: bool = False) -> list[tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    from flashgroup_cli.pipeline import campaign_document

    document = campaign_document(campaign, compressed=compressed, plan=True)
    return [(row.event.kind, row.event.step, row.text) for row in document.rows]


def sellers() -> list[object]:
    """Every example in both languages, and a campaign of every category with the voice its sellers use."""
    from flashgroup_cli.campaign_file import load_campaign
    from flashgroup_cli.records import replace

    from .conftest import EXAMPLES

    out = [replace(load_campaign(p), language=lang) for p in sorted(EXAMPLES.glob("*.yml")) for lang in ("zh", "en")]
    voices = {"fresh": "家人们", "bakery": "邻居们", "beauty": "姐妹们", "tea": "茶友们", "household": "宝子们", "other": "大家"}
    out += [load(category=category, voice=voice) for category, voice in voices.items()]
    out += [load(category=category, voice="friends", language="en") for category in ("bakery", "tea")]
    return out


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_recurring_kind_has_three_phrasings_picked_by_the_campaign(language: str) -> None:
    seen: dict[str, set[str]] = {kind: set() for kind in RECURRING}
    for i in range(24):  # the same campaign under 24 names: only the wording seed changes
        for kind, step, text in plan_texts(load(name=f"快闪{i}", language=language)):
            if kind in RECURRING:
                seen[kind].add(f"{step}|{re.sub(r'[0-9]+', '#', text)}")
    for kind, texts in seen.items():
        by_step: dict[str, set[str]] = {}
        for entry in texts:
            step, text = entry.split("|", 1)
            by_step.setdefault(step, set()).add(text)
        assert max(len(v) for v in by_step.values()) >= 3, (kind, by_step)


def test_one_file_always_gives_the_same_words() -> None:
    assert plan_texts(load(category="tea")) == plan_texts(load(category="tea"))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_group_notices_after_the_first_are_short(language: str) -> None:
    for i in range(6):
        notices = [(step, text) for kind, step, text in plan_texts(load(name=f"n{i}", language=language)) if kind == "group.announcement"]
        first, *later = notices
        assert len(first[1].splitlines()) >= 8
        assert later and all(len(text.splitlines()) <= 2 for _, text in later), later


def test_emoji_at_most_two_per_short_message_and_four_per_long_one() -> None:
    for campaign in sellers():
        for compressed in (False, True):
            for kind, _, text in plan_texts(campaign, compressed):
                lines = [line for line in text.splitlines() if line.strip()]
                limit = 2 if len(lines) <= 3 else 4
                assert len(EMOJI.findall(text)) <= limit, (kind, text)


def first_word(line: str) -> str | None:
    line = line.strip()
    if not re.match(r"[A-Za-z\u4e00-\u9fff]", line):
        return None  # a list item (·, -, 1.) or an emoji
    word = re.match(r"[A-Za-z']+", line)
    return word.group(0).lower() if word else line[:2]


def test_no_line_starts_like_the_one_before_more_than_twice_in_a_text() -> None:
    for campaign in sellers():
        for kind, _, text in plan_texts(campaign):
            words = [first_word(line) for line in text.splitlines() if line.strip()]
            assert sum(1 for a, b in zip(words, words[1:]) if a and a == b) <= 2, (kind, text)


def test_the_voice_replaces_the_hard_coded_address() -> None:
    from flashgroup_cli.resources import templates_dir

    customer = [p for p in templates_dir().glob("*.zh.j2") if not p.name.startswith("sheet")]
    assert not [p.name for p in customer if "家人" in p.read_text(encoding="utf-8")]
    copy = "\n".join(text for _, _, text in plan_texts(load(voice="茶友们", category="tea")))
    assert "茶友们" in copy and "家人" not in copy
    english = "\n".join(text for _, _, text in plan_texts(load(voice="neighbours", language="en", name="v2")))
    assert "neighbours" in english
