"""Findings speak the campaign's language (templates/findings.zh.yml, findings.en.yml), or the one `--lang` chooses;
codes, severities, paths and locations are the same in both."""

from __future__ import annotations

import re
import string
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from flashgroup_cli.campaign_file import load_campaign
from flashgroup_cli.checks import lint
from flashgroup_cli.cli import app

from .conftest import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "checks"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
runner = CliRunner()


def catalog(language: str) -> dict[str, dict[str, str]]:
    return yaml.safe_load((ROOT / "templates" / f"findings.{language}.yml").read_text(encoding="utf-8"))


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_catalogs_have_the_same_entries_and_zh_uses_only_values_en_has() -> None:
    zh, en = catalog("zh"), catalog("en")
    assert zh.keys() == en.keys()
    for key in en:
        assert zh[key].keys() == en[key].keys(), key
        for part in en[key]:
            assert fields(str(zh[key][part])) <= fields(str(en[key][part])), (key, part)  # zh has no plurals


FIXTURE_FILES = sorted(p.name for p in FIXTURES.glob("*.yml") if p.name != "sel-5-six-products.yml")  # that one does not load


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_every_finding_is_the_same_in_both_languages_but_its_words(name: str) -> None:
    loaded = load_campaign(FIXTURES / name, display=name)
    now = datetime(2026, 12, 9, 9, 0)  # inside the warm-up of the December fixtures: the time checks speak too
    zh, en = lint(loaded, now=now, language="zh"), lint(loaded, now=now, language="en")
    same = lambda findings: [(f.code, f.severity, f.path, f.location) for f in findings]  # noqa: E731
    assert same(zh) == same(en)
    for chinese, english in zip(zh, en):
        assert chinese.message != english.message and CHINESE.search(chinese.message)
        if chinese.code and chinese.code.startswith("AD-"):
            assert chinese.fix == english.fix  # the rewrite is in the language of the word it replaces
            continue
        assert chinese.fix != english.fix and CHINESE.search(chinese.fix)
        values = set(CHINESE.findall(str(loaded)))  # Chinese that comes from the file itself
        assert set(CHINESE.findall(english.message + english.fix)) <= values | set(
            "广告法诱导分享你最想要哪一款天猫"
        )  # quoted on purpose, english.message


def test_lint_speaks_the_campaign_language_by_default() -> None:
    [zh] = lint(load_campaign(FIXTURES / "gr-5-too-few-helpers.yml"))
    assert zh.message.startswith("每群2个水军") and zh.fix == "每群安排5–10个水军"
    english = (FIXTURES / "gr-5-too-few-helpers.yml").read_text(encoding="utf-8").replace("language: zh", "language: en")
    [en] = lint(load_campaign_text(english))
    assert en.message.startswith("2 helpers per group") and en.fix == "plan 5–10 helpers per group"


def load_campaign_text(text: str):  # type: ignore[no-untyped-def]
    from flashgroup_cli.campaign_file import parse_campaign

    return parse_campaign(text, "x.yml")


def test_check_cli_follows_the_campaign_and_lang_chooses() -> None:
    path = str(FIXTURES / "gr-5-too-few-helpers.yml")
    zh = runner.invoke(app, ["check", path, "--now", "2026-11-01T09:00"])
    assert zh.exit_code == 0
    first, last = zh.stdout.splitlines()
    assert first.startswith(f"{path}:10:29: GR-5 warning: 每群2个水军") and first.endswith(" — 每群安排5–10个水军")
    assert last == "检查了1个文件：0个错误，1个警告，0个提示（flashgroup rules 编号 可查看规则说明）"
    en = runner.invoke(app, ["check", path, "--now", "2026-11-01T09:00", "--lang", "en"])
    first, last = en.stdout.splitlines()
    assert first.startswith(f"{path}:10:29: GR-5 warning: 2 helpers per group")
    assert last == "1 file checked: 0 errors, 1 warning, 0 info (flashgroup rules CODE explains a rule)"
    english_campaign = runner.invoke(app, ["check", str(EXAMPLES / "apples-en.yml"), "--now", "2028-01-01T00:00Z"])
    assert english_campaign.stdout.splitlines()[-1].startswith("1 file checked: 1 error")  # TIME-1: its start is past
    assert "is already past" in english_campaign.stdout


def test_plan_warnings_speak_the_campaign_language() -> None:
    result = runner.invoke(app, ["plan", str(FIXTURES / "gr-5-too-few-helpers.yml")])
    assert result.exit_code == 0
    assert "GR-5 warning: 每群2个水军" in result.stderr
    error = runner.invoke(app, ["plan", str(FIXTURES / "end-1-extension.yml")])
    assert error.exit_code == 1 and "END-1 error: 配置了加场" in error.stderr
