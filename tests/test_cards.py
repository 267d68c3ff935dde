"""Cards for helpers (issue 11): one WeChat-ready text per role whose cues are the operator sheet's roster (GR-5)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flashgroup_cli.cli import app
from flashgroup_cli.helper_roster import helper_cues
from flashgroup_cli.outputs.cards_output import render_cards
from flashgroup_cli.pipeline import plan_document

from .conftest import EXAMPLES

CASES = [(example, compressed) for example in sorted(EXAMPLES.glob("*.yml")) for compressed in (False, True)]


def roster_lines(sheet: str, language: str) -> dict[int, str]:
    """The sheet's roster: helper number -> the line listing that helper's cues."""
    pattern = r"^- 水军(\d+)：(.*)$" if language == "zh" else r"^- Helper (\d+): (.*)$"
    return {int(m.group(1)): m.group(2) for m in re.finditer(pattern, sheet, re.M)}


def card_cues(card: str) -> list[str]:
    """The header line of each cue on a helper's card: `19:33 · title` or `trigger · title`."""
    blocks = card.split("\n\n")
    return [b.splitlines()[0] for b in blocks if " · " in b.splitlines()[0] and not b.startswith(("水军", "Helper"))]


@pytest.mark.parametrize(("example", "compressed"), CASES, ids=lambda v: getattr(v, "stem", str(v)))
def test_each_helpers_card_has_the_sheets_roster(example, compressed):
    doc = plan_document(example, compressed=compressed)
    language = doc.campaign.language
    cards = render_cards(doc)
    roster = roster_lines(doc.sheet, language)
    cues = helper_cues(doc.campaign, doc.schedule)
    assert sorted(roster) == sorted({c.helper for c in cues})
    for number in set(range(1, doc.campaign.group.helpers + 1)) - set(roster):  # more helpers than cues
        assert card_cues(cards[f"水军{number}.txt" if language == "zh" else f"helper-{number}.txt"]) == []
    for number, line in roster.items():
        card = cards[f"水军{number}.txt" if language == "zh" else f"helper-{number}.txt"]
        mine = [c for c in cues if c.helper == number]
        listed = card_cues(card)
        assert len(listed) == len(mine) == len(re.split("；" if language == "zh" else "; ", line)), (number, listed, line)
        # the same times, in the same order, as the sheet's roster line
        assert [h[:5] for h in listed if re.match(r"\d\d:\d\d ", h)] == re.findall(r"\b\d\d:\d\d\b", line)
        # the exact words a helper asks (the product's worry, GR-9) are on the card to copy
        for question in re.findall(r"「([^」]*？)」|\"([^\"]*\?)\"", line):
            assert (question[0] or question[1]) in card
        for cue in mine:
            assert doc.rows[cue.event].title in card


@pytest.mark.parametrize(("example", "compressed"), CASES, ids=lambda v: getattr(v, "stem", str(v)))
def test_the_hosts_card_has_every_action_and_text(example, compressed):
    doc = plan_document(example, compressed=compressed)
    card = render_cards(doc)["群主.txt" if doc.campaign.language == "zh" else "host.txt"]
    for row in doc.rows:
        assert row.title in card
        assert "\n".join(line.strip() for line in row.text.splitlines()) in card
        if row.local:
            assert row.local.strftime("%H:%M") in card


@pytest.mark.parametrize(("example", "compressed"), CASES, ids=lambda v: getattr(v, "stem", str(v)))
def test_cards_are_wechat_ready(example, compressed):
    doc = plan_document(example, compressed=compressed)
    for name, card in render_cards(doc).items():
        lines = card.splitlines()
        assert all(line == line.strip() for line in lines), name  # no leading or trailing spaces
        assert not [line for line in lines if re.match(r"(#{1,6} |> |```|- |\*\*)", line)], name  # no Markdown (#接龙 is copy)
        assert "\n\n\n" not in card and card.endswith("\n") and not card.endswith("\n\n")
        assert "、".join(doc.schedule.groups) in card or ", ".join(doc.schedule.groups) in card


def test_card_files_are_named_by_role():
    zh = render_cards(plan_document(EXAMPLES / "retail.yml"))
    assert list(zh) == ["群主.txt"] + [f"水军{n}.txt" for n in range(1, 9)]
    en = render_cards(plan_document(EXAMPLES / "apples-en.yml"))
    assert list(en)[:2] == ["host.txt", "helper-1.txt"]


def test_last_tier_cheer_points_to_no_next_goal():
    cards = render_cards(plan_document(EXAMPLES / "retail.yml"))
    text = "".join(cards.values())
    assert "满300份时带头欢呼、提醒下一档" in text and "满600份时带头欢呼\n" in text


def test_cli_writes_one_card_per_role(tmp_path: Path):
    out = tmp_path / "cards"
    result = CliRunner().invoke(app, ["plan", str(EXAMPLES / "retail.yml"), "--format", "cards", "-o", f"{out}/"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(["群主.txt"] + [f"水军{n}.txt" for n in range(1, 9)])
    assert (out / "水军3.txt").read_text(encoding="utf-8").startswith("水军3 · 社区生鲜周末快闪\n")


def test_cli_cards_for_a_folder_of_campaigns(tmp_path: Path):
    out = tmp_path / "cards"
    result = CliRunner().invoke(app, ["plan", str(EXAMPLES), "--format", "cards", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(p.stem for p in EXAMPLES.glob("*.yml"))
    assert (out / "apples-en" / "host.txt").is_file() and (out / "retail" / "水军8.txt").is_file()


def test_cli_cards_need_a_folder(tmp_path: Path):
    result = CliRunner().invoke(app, ["plan", str(EXAMPLES / "retail.yml"), "--format", "cards"])
    assert result.exit_code == 2 and "-o FOLDER" in result.output
    (tmp_path / "file.txt").write_text("x")
    result = CliRunner().invoke(app, ["plan", str(EXAMPLES / "retail.yml"), "--format", "cards", "-o", str(tmp_path / "file.txt")])
    assert result.exit_code == 2 and "folder" in result.output
