"""The AD checks (advertising law and WeChat's rules on the words): a hit and a near-miss per rule in both languages,
located at the key; the file's `checks: ignore`; user templates caught at their line; the shipped copy clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flashgroup_cli.campaign_file import load_campaign
from flashgroup_cli.checks import lint
from flashgroup_cli.cli import app
from flashgroup_cli.compliance import copy_findings, find_words, published_texts, word_lists
from flashgroup_cli.findings import ERROR, WARNING
from flashgroup_cli.pipeline import campaign_document
from flashgroup_cli.records import replace
from flashgroup_cli.render import template_name

from .conftest import EXAMPLES
from .test_checks import FIXTURES, assert_finding, campaign, where

runner = CliRunner()

# fixture, code, severity, path, (text of its line, token the finding points at)
HITS = [
    ("ad-1-absolute-claim.yml", "AD-1", ERROR, "products[0].selling_points[1]", ("- 全网最低价", "全网最低价")),
    ("ad-1-absolute-claim-en.yml", "AD-1", ERROR, "products[0].selling_points[0]", ("- The best apples", "The best")),
    ("ad-2-own-price.yml", "AD-2", WARNING, "products[0].selling_points[0]", ("- 原价", "原价")),
    ("ad-2-own-price-en.yml", "AD-2", WARNING, "products[0].selling_points[0]", ("- Our regular", "Our regular")),
    ("ad-3-share-reward.yml", "AD-3", WARNING, "tiers[0].gift", ("gift: 转发", "转发朋友圈")),
    ("ad-3-share-reward-en.yml", "AD-3", WARNING, "liker_gift", ("liker_gift:", "share this post")),
    ("ad-4-health-claim.yml", "AD-4", WARNING, "products[0].reviews[0]", ("- 我妈说", "我妈说")),
    ("ad-4-health-claim-en.yml", "AD-4", WARNING, "products[0].reviews[0]", ("- An apple a day", "An apple")),
]
NEAR_MISSES = [f"ad-{n}-near-miss{lang}.yml" for n in (1, 2, 3, 4) for lang in ("", "-en")]


@pytest.mark.parametrize(("name", "code", "severity", "path", "line"), HITS, ids=[h[0] for h in HITS])
def test_each_ad_fixture_gives_one_finding_at_its_key(name: str, code: str, severity: str, path: str, line: tuple[str, str]) -> None:
    [finding] = lint(campaign(name))
    assert_finding(finding, code, severity, path, where(name, *line))
    assert "→" in finding.fix  # the suggested rewrite


@pytest.mark.parametrize("name", NEAR_MISSES)
def test_near_misses_give_no_finding(name: str) -> None:
    loaded = campaign(name)
    assert [p for p, _ in published_texts(loaded)]  # the fixture really has texts to look at
    assert lint(loaded) == []


@pytest.mark.parametrize(
    "text",
    [
        "最近",
        "最后一波",
        "第一次买",
        "第1款",
        "最多省20元",
        "第一时间",
        "第一批",
        "点赞送一把小葱",
        "分享给大家，送货上门",
        "best before May",
        "at its best",
        "first time",
        "the most you save",
        "a Sunday treat",
        "like this post and get a gift",
        "healthy",
    ],
)
def test_ordinary_words_are_not_claims(text: str) -> None:
    assert find_words(text) == []


@pytest.mark.parametrize(
    ("text", "code", "word"),
    [
        ("销量第一", "AD-1", "销量第一"),
        ("全网最低价", "AD-1", "全网最低"),
        ("100%原切", "AD-1", "100%"),
        ("第一名", "AD-1", "第一"),
        ("No.1 in town", "AD-1", "No.1"),
        ("world-class apples", "AD-1", "world-class"),
        ("集赞30个", "AD-3", "集赞"),
        ("分享到朋友圈抽奖", "AD-3", "分享到朋友圈抽奖"),
        ("Forward to 3 friends to win", "AD-3", "Forward to 3 friends to win"),
        ("美白淡斑", "AD-4", "美白"),
        ("it cures colds", "AD-4", "cures"),
        ("whitening serum", "AD-4", "whitening"),
    ],
)
def test_claims_are_found_once(text: str, code: str, word: str) -> None:
    assert [(h.code, h.word) for h in find_words(text)][:1] == [(code, word)]
    assert len(find_words(text)) == 1  # 销量第一 is one claim, not 销量第一 and 第一


def test_the_word_lists_are_data_with_a_rewrite_for_every_entry() -> None:
    entries = word_lists()
    assert {e.code for e in entries} == {"AD-1", "AD-2", "AD-3", "AD-4"}
    assert all(e.rewrite for e in entries)
    assert any("全网最低" in e.pattern.pattern for e in entries) and any("world" in e.pattern.pattern for e in entries)


def test_file_ignores_silence_an_ad_rule(write_campaign) -> None:
    text = (FIXTURES / "ad-1-absolute-claim.yml").read_text(encoding="utf-8") + "checks: {ignore: [AD-1]}\n"
    assert lint(load_campaign(write_campaign(text))) == []
    text = (FIXTURES / "ad-4-health-claim.yml").read_text(encoding="utf-8") + "checks: {ignore: [AD]}\n"
    assert lint(load_campaign(write_campaign(text))) == []


def test_check_cli_prints_the_ad_finding_with_its_location() -> None:
    name = FIXTURES / "ad-1-absolute-claim.yml"
    result = runner.invoke(app, ["check", str(name), "--now", "2026-01-01T00:00"])
    assert result.exit_code == 1
    assert f"{name}:20:9: AD-1 error:" in result.stdout and "全网最低 → 比常见平台都便宜" in result.stdout


def test_plan_refuses_an_absolute_claim_in_the_file() -> None:
    result = runner.invoke(app, ["plan", str(FIXTURES / "ad-1-absolute-claim.yml")])
    assert result.exit_code == 1 and result.stdout == ""
    assert ":20:9: AD-1 error:" in result.stderr


def test_plan_prints_ad_warnings_and_still_writes() -> None:
    result = runner.invoke(app, ["plan", str(FIXTURES / "ad-4-health-claim.yml")])
    assert result.exit_code == 0 and result.stdout
    assert ":19:9: AD-4 warning:" in result.stderr


def test_a_user_template_writing_an_absolute_claim_is_caught_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "group.close.zh.j2").write_text("结束啦 {{ c.end|clock }}\n全网最低，下次再来\n", encoding="utf-8")
    result = runner.invoke(app, ["plan", str(EXAMPLES / "orange.yml"), "--templates", str(tmp_path)])
    assert result.exit_code == 1 and result.stdout == ""
    assert f"{tmp_path / 'group.close.zh.j2'}:2:1: AD-1 error:" in result.stderr
    assert "比常见平台都便宜" in result.stderr
    # the same template with the rule silenced in the file is written
    silenced = tmp_path / "orange.yml"
    silenced.write_text((EXAMPLES / "orange.yml").read_text(encoding="utf-8") + "checks: {ignore: [AD-1]}\n", encoding="utf-8")
    assert runner.invoke(app, ["plan", str(silenced), "--templates", str(tmp_path)]).exit_code == 0


def test_a_user_template_with_a_sharing_reward_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "group.close.en.j2").write_text("That's it!\nShare this post and get a coupon\n", encoding="utf-8")
    result = runner.invoke(app, ["plan", str(EXAMPLES / "apples-en.yml"), "--templates", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'group.close.en.j2'}:2:1: AD-3 warning:" in result.stderr


EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yml"))


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("compressed", [False, True], ids=["standard", "compressed"])
def test_every_shipped_template_rendered_for_every_example_passes_ad_1(example: Path, language: str, compressed: bool) -> None:
    loaded = replace(load_campaign(example), language=language)
    document = campaign_document(loaded, compressed=compressed, plan=True)
    texts = [(template_name(row.event.kind, language), row.text) for row in document.rows]
    assert len({name for name, _ in texts}) >= 15  # every kind of customer text is there
    assert copy_findings(loaded, texts, None, frozenset({"AD-1", "AD-2", "AD-3", "AD-4"})) == []
    for name, text in texts:  # nothing at all from the lists, values of the file included
        assert [h for h in find_words(text) if h.code == "AD-1"] == [], (name, text)


def test_a_user_template_calling_the_reference_price_our_own_is_ad_2_unless_the_file_says_so(tmp_path: Path) -> None:
    (tmp_path / "group.close.zh.j2").write_text("结束啦\n原价都要{{ c.products[0].market_price|money }}\n", encoding="utf-8")
    result = runner.invoke(app, ["plan", str(EXAMPLES / "orange.yml"), "--templates", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'group.close.zh.j2'}:2:1: AD-2 warning:" in result.stderr
    own = tmp_path / "orange.yml"
    text = (
        (EXAMPLES / "orange.yml")
        .read_text(encoding="utf-8")
        .replace("    market_price: 39.9\n", "    market_price: 39.9\n    reference_label: 日常价\n")
    )
    own.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["plan", str(own), "--templates", str(tmp_path)])
    assert result.exit_code == 0 and "AD-2" not in result.stderr


def test_the_texts_of_issue_8s_keys_are_checked_too(write_campaign) -> None:
    base = (FIXTURES / "clean.yml").read_text(encoding="utf-8")
    base = "\n".join(line for line in base.splitlines() if not line.startswith(("payment:", "wrapup:")))
    extra = (
        "payment: {method: 小程序, note: 转发朋友圈领5元红包}\n"
        "wrapup: {action: questionnaire, link: 'https://x.cn/q', gift: 国家级特供果干}\n"
        "results: {reviews: [吃了三天血压降了, 很甜]}\n"
    )
    found = {(f.code, f.path) for f in lint(load_campaign(write_campaign(base + "\n" + extra)))}
    assert {("AD-3", "payment.note"), ("AD-1", "wrapup.gift"), ("AD-4", "results.reviews[0]")} <= found
    assert not any(path.startswith("results.reviews[1]") for _, path in found)


def test_check_with_templates_renders_the_copy_and_checks_its_words(tmp_path: Path) -> None:
    (tmp_path / "group.close.zh.j2").write_text("结束啦\n全网最低，下次再来\n", encoding="utf-8")
    clean = runner.invoke(app, ["check", str(EXAMPLES / "orange.yml"), "--now", "2026-12-01T09:00"])
    assert clean.exit_code == 0
    caught = runner.invoke(app, ["check", str(EXAMPLES / "orange.yml"), "--now", "2026-12-01T09:00", "--templates", str(tmp_path)])
    assert caught.exit_code == 1
    assert f"{tmp_path / 'group.close.zh.j2'}:2:1: AD-1 error:" in caught.stdout
    ignored = runner.invoke(
        app, ["check", str(EXAMPLES / "orange.yml"), "--now", "2026-12-01T09:00", "--templates", str(tmp_path), "--ignore", "AD-1"]
    )
    assert ignored.exit_code == 0
    other = tmp_path / "broken"  # a new folder: templates are compiled once per folder and process
    other.mkdir()
    (other / "group.close.zh.j2").write_text("{{ c.nope }}\n", encoding="utf-8")
    broken = runner.invoke(app, ["check", str(EXAMPLES / "orange.yml"), "--now", "2026-12-01T09:00", "--templates", str(other)])
    assert broken.exit_code == 1 and f"{other / 'group.close.zh.j2'}:1:1: error: template error" in broken.stdout
