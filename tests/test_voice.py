"""`category` and `voice` (issue 10): what the seller sells picks the WU-5 polishing stories; how the host addresses
the group is the file's word, not a hard-coded 家人们."""

from __future__ import annotations

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
