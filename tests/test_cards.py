"""Cards for helpers (issue 11): one WeChat-ready text per role whose cues are the operator sheet's roster (GR-5)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flashgroup_cli.cli import app
from flashgroup_cli.outputs.cards_output import render_cards
from flashgroup_cli.pipeline import plan_document

from .conftest import EXAMPLES

# every example, both variants, in its own language and in the other one ("flip")
CASES = [
    (example, variant)
    for example in sorted(EXAMPLES.glob("*.yml"))
    for variant in ("standard", "compressed", "standard-flip", "compressed-flip")
]


def document(example: Path, variant: str, folder: Path):
    path = example
    if variant.endswith("-flip"):
        text = example.read_text(encoding="utf-8")
        other = "en" if re.search(r"^language: zh", text, re.M) else "zh"
        path = folder / example.name
        path.write_text(re.sub(r"^language: \w+", f"language: {other}", text, flags=re.M), encoding="utf-8")
    return plan_document(path, compressed=variant.startswith("compressed"))


RULES_SUFFIX = re.compile(r"\s*[（(][A-Z]+-\d+(?:[、,]\s*[A-Z]+-\d+)*[）)]$")


def sheet_roster(sheet: str, language: str) -> dict[str, list[str]]:
    """The sheet's roster as printed in the plan: role label -> its cue lines (rule IDs off, time kept)."""
    roster: dict[str, list[str]] = {}
    current = None
    for line in sheet.splitlines():
        top = re.match(r"^- (群主|统计|水军\d+|Host|Counter|Helper \d+)(?:[（ (][^：:]*[）)])?[：:]\s*(.*)$", line)
        if top:
            current = top.group(1)
            items = re.split("；" if language == "zh" else "; ", RULES_SUFFIX.sub("", top.group(2))) if top.group(2) else []
            roster[current] = [item for item in items if item]
        elif current and line.startswith("  - "):
            roster[current].append(RULES_SUFFIX.sub("", line[4:]))
        elif not line.startswith("  "):
            current = None
    return roster


def card_name(label: str) -> str:
    names = {"群主": "群主", "统计": "统计", "Host": "host", "Counter": "counter"}
    if label in names:
        return f"{names[label]}.txt"
    number = label.split()[-1] if label.startswith("Helper") else label.removeprefix("水军")
    return f"水军{number}.txt" if label.startswith("水军") else f"helper-{number}.txt"


@pytest.mark.parametrize(("example", "variant"), CASES, ids=lambda v: getattr(v, "stem", str(v)))
def test_each_roles_card_has_the_sheets_roster(example, variant, tmp_path):
    """Every cue the plan's sheet lists for a role is on that role's card, with its time; no card has cues the sheet
    does not list (GR-5: each helper knows their cues)."""
    doc = document(example, variant, tmp_path)
    cards = render_cards(doc)
    roster = sheet_roster(doc.sheet, doc.campaign.language)
    assert sorted(card_name(label) for label in roster) == sorted(cards)
    helpers = doc.campaign.group.helpers
    assert len([label for label in roster if label.startswith(("水军", "Helper"))]) == helpers
    for label, items in roster.items():
        card = cards[card_name(label)]
        lines = card.splitlines()
        assert items, label
        for item in items:
            timed = re.match(r"^(\d\d:\d\d) (.*)$", item)
            words = timed.group(2) if timed else item
            assert words in lines, (label, words)
            if timed and not label.startswith(("群主", "统计", "Host", "Counter")):
                # the cue's time heads its block on the card, right above the sheet's words
                assert lines[lines.index(words) - 1].startswith(timed.group(1) + " · "), (label, item)
        if label.startswith(("水军", "Helper")):
            # and nothing else: every cue heading on a helper's card is followed by one of the sheet's lines for them
            headings = [i for i, line in enumerate(lines[1:], start=1) if " · " in line]
            assert len(headings) <= len(items)
            assert all(lines[i + 1] in [re.sub(r"^\d\d:\d\d ", "", item) for item in items] for i in headings), label


@pytest.mark.parametrize(("example", "variant"), CASES, ids=lambda v: getattr(v, "stem", str(v)))
def test_the_hosts_card_has_every_action_and_text(example, variant, tmp_path):
    doc = document(example, variant, tmp_path)
    card = render_cards(doc)["群主.txt" if doc.campaign.language == "zh" else "host.txt"]
    for row in doc.rows:
        assert row.title in card
        assert "\n".join(line.strip() for line in row.text.splitlines()) in card
        if row.local:
            assert row.local.strftime("%H:%M") in card


@pytest.mark.parametrize(("example", "variant"), CASES, ids=lambda v: getattr(v, "stem", str(v)))
def test_cards_are_wechat_ready(example, variant, tmp_path):
    doc = document(example, variant, tmp_path)
    for name, card in render_cards(doc).items():
        lines = card.splitlines()
        assert all(line == line.strip() for line in lines), name  # no leading or trailing spaces
        assert not [line for line in lines if re.match(r"(#{1,6} |> |```|- |\*\*)", line)], name  # no Markdown (#接龙 is copy)
        assert "\n\n\n" not in card and card.endswith("\n") and not card.endswith("\n\n")
        assert "、".join(doc.schedule.groups) in card or ", ".join(doc.schedule.groups) in card


def test_card_files_are_named_by_role():
    zh = render_cards(plan_document(EXAMPLES / "retail.yml"))
    assert list(zh) == ["群主.txt", "统计.txt"] + [f"水军{n}.txt" for n in range(1, 9)]
    en = render_cards(plan_document(EXAMPLES / "apples-en.yml"))
    assert list(en)[:3] == ["host.txt", "counter.txt", "helper-1.txt"]


def test_a_helpers_words_to_say_are_on_their_own_line():
    cards = render_cards(plan_document(EXAMPLES / "retail.yml"))
    assert "\n说：\n10斤一箱会不会有小果凑数？\n" in cards["水军3.txt"]
    assert "\n说：\n接龙完在哪付款？\n" in cards["水军2.txt"]


def test_cli_writes_one_card_per_role(tmp_path: Path):
    out = tmp_path / "cards"
    result = CliRunner().invoke(app, ["plan", str(EXAMPLES / "retail.yml"), "--format", "cards", "-o", f"{out}/"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(["群主.txt", "统计.txt"] + [f"水军{n}.txt" for n in range(1, 9)])
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


def test_a_new_run_takes_away_the_cards_of_roles_the_plan_no_longer_has(tmp_path: Path):
    """A card left from an earlier run (水军9.txt when the roster is down to eight, an English run's helper-3.txt) would
    be forwarded to a helper with cues that are not the plan's: it goes, and stderr says so. Nothing else does: not a
    file of the operator's, not a name that is no card, not a symlink or a folder that only looks like one."""
    out = tmp_path / "cards"
    out.mkdir()
    (tmp_path / "elsewhere.txt").write_text("keep me", encoding="utf-8")
    for name in ("水军9.txt", "水军12.txt", "helper-3.txt", "笔记.txt", "水军0.txt", "水军9.txt.bak"):
        (out / name).write_text("old", encoding="utf-8")
    (out / "水军10.txt").symlink_to(tmp_path / "elsewhere.txt")
    (out / "水军11.txt").mkdir()
    result = CliRunner().invoke(app, ["plan", str(EXAMPLES / "retail.yml"), "--format", "cards", "-o", f"{out}/"])
    assert result.exit_code == 0, result.output
    removed = sorted(line for line in result.output.splitlines() if line.startswith("removed "))
    assert removed == [
        f"removed {out / name}: a card from an earlier run, for a role this plan no longer has"
        for name in ("helper-3.txt", "水军12.txt", "水军9.txt")
    ]
    cards = sorted(["群主.txt", "统计.txt"] + [f"水军{n}.txt" for n in range(1, 9)])
    assert sorted(p.name for p in out.iterdir()) == sorted([*cards, "笔记.txt", "水军0.txt", "水军9.txt.bak", "水军10.txt", "水军11.txt"])
    assert (tmp_path / "elsewhere.txt").read_text(encoding="utf-8") == "keep me"


def test_a_folder_run_takes_away_stale_cards_in_each_campaigns_folder(tmp_path: Path):
    out = tmp_path / "cards"
    (out / "retail").mkdir(parents=True)
    (out / "retail" / "水军9.txt").write_text("old", encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", str(EXAMPLES), "--format", "cards", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert not (out / "retail" / "水军9.txt").exists() and (out / "retail" / "水军8.txt").is_file()
    assert f"removed {out / 'retail' / '水军9.txt'}: a card from an earlier run" in result.output
