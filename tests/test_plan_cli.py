"""`flashgroup plan` end to end: piped Markdown that parses, JSON with the copy, user templates, errors."""

from __future__ import annotations

import json

from markdown_it import MarkdownIt
from typer.testing import CliRunner

from flashgroup_cli.cli import app

from .conftest import EXAMPLES, flashgroup_process

runner = CliRunner()


def without_metadata(markdown: str) -> str:
    """The body after the pandoc/YAML metadata block (title, lang), as front-matter-aware Markdown tools read it."""
    assert markdown.startswith("---\n")
    return markdown.split("\n---\n", 1)[1]


def headings(markdown: str) -> list[tuple[str, str]]:
    tokens = MarkdownIt().parse(without_metadata(markdown))
    return [(tok.tag, tokens[i + 1].content) for i, tok in enumerate(tokens) if tok.type == "heading_open"]


def test_piped_markdown_parses_with_phase_and_day_headings():
    result = runner.invoke(app, ["plan", str(EXAMPLES / "retail.yml")])
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout
    found = headings(result.stdout)
    assert found[0] == ("h1", "社区生鲜周末快闪 · 快闪群执行方案")
    h2 = [text for tag, text in found if tag == "h2"]
    assert h2 == ["运营准备", "一、预热：朋友圈剧本", "二、开售当天", "三、收尾"]
    h3 = [text for tag, text in found if tag == "h3"]
    assert "12月15日（周二） · 第1天" in h3 and "12月19日（周六） · 第5天" in h3
    fences = [tok for tok in MarkdownIt().parse(result.stdout) if tok.type == "fence"]
    doc = json.loads(runner.invoke(app, ["plan", str(EXAMPLES / "retail.yml"), "-f", "json"]).stdout)
    assert len(fences) == len(doc["events"])  # one copy block per event, triggers included


def test_plan_json_is_the_timeline_contract_with_text_filled():
    plan = json.loads(runner.invoke(app, ["plan", str(EXAMPLES / "orange.yml"), "--format", "json"]).stdout)
    timeline = json.loads(runner.invoke(app, ["timeline", str(EXAMPLES / "orange.yml"), "--format", "json"]).stdout)
    strip = lambda doc: [{k: v for k, v in e.items() if k not in ("text", "note")} for e in doc["events"]]  # noqa: E731
    assert strip(plan) == strip(timeline)
    assert all(e["text"] for e in plan["events"])
    assert plan["sheet"]["text"].startswith("### ")


def test_plan_compressed_variant():
    plan = json.loads(runner.invoke(app, ["plan", str(EXAMPLES / "orange.yml"), "-f", "json", "--compressed"]).stdout)
    assert plan["campaign"]["variant"] == "compressed"
    results = next(e for e in plan["events"] if e["kind"] == "moments.results")
    assert "上午" in results["text"]


def test_plan_with_user_templates(tmp_path):
    (tmp_path / "group.close.zh.j2").write_text("结束啦 {{ c.end|clock }}", encoding="utf-8")
    result = runner.invoke(app, ["plan", str(EXAMPLES / "orange.yml"), "--templates", str(tmp_path), "-f", "json"])
    close = next(e for e in json.loads(result.stdout)["events"] if e["kind"] == "group.close")
    assert close["text"] == "结束啦 20:30"


def test_plan_with_a_hostile_user_template_fails_cleanly(tmp_path):
    (tmp_path / "group.close.zh.j2").write_text("{{ c.__class__.__mro__ }}", encoding="utf-8")
    result = runner.invoke(app, ["plan", str(EXAMPLES / "orange.yml"), "--templates", str(tmp_path)])
    assert result.exit_code == 1 and result.stdout == ""
    assert "group.close.zh.j2" in result.stderr


def test_plan_templates_folder_must_exist(tmp_path):
    assert runner.invoke(app, ["plan", str(EXAMPLES / "orange.yml"), "--templates", str(tmp_path / "nope")]).exit_code == 2


def test_plan_invalid_campaign_exit_1_nothing_on_stdout(write_campaign):
    result = runner.invoke(app, ["plan", str(write_campaign(duration="0m"))])
    assert result.exit_code == 1 and result.stdout == "" and ":" in result.stderr


def test_plan_as_a_real_process_pipes_clean_markdown(tmp_path):
    proc = flashgroup_process("plan", str(EXAMPLES / "orange.yml"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert without_metadata(proc.stdout).startswith("\n# 赣南脐橙年终快闪 · 快闪群执行方案") and "\x1b[" not in proc.stdout


def test_templates_lists_and_copies_then_plan_uses_the_copy(tmp_path):
    listing = runner.invoke(app, ["templates", "--lang", "zh"]).stdout.split()
    assert "group.close.zh.j2" in listing and all(name.endswith(".zh.j2") for name in listing)
    folder = tmp_path / "mine"
    assert runner.invoke(app, ["templates", str(folder), "--lang", "zh"]).exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(listing)
    assert runner.invoke(app, ["templates", str(folder), "--lang", "zh"]).exit_code == 2  # would overwrite
    (folder / "group.close.zh.j2").write_text("今天到此为止 {{ c.end|clock }}", encoding="utf-8")
    result = runner.invoke(app, ["plan", str(EXAMPLES / "orange.yml"), "--templates", str(folder), "-f", "json"])
    close = next(e for e in json.loads(result.stdout)["events"] if e["kind"] == "group.close")
    assert close["text"] == "今天到此为止 20:30"
