"""Plain text for WeChat (`--format text`, `-o x.txt`) and the Markdown's metadata block as pandoc reads it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile

import pytest
from typer.testing import CliRunner

from flashgroup_cli.cli import app

from .conftest import EXAMPLES

runner = CliRunner()
ALL = ["retail.yml", "orange.yml", "apples-en.yml"]


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("example", ALL)
@pytest.mark.parametrize("compressed", [False, True])
def test_plain_text_plan_holds_every_text_exactly_as_the_json_text(example, compressed):
    extra = ["--compressed"] if compressed else []
    text = run("plan", str(EXAMPLES / example), "--format", "text", *extra)
    events = json.loads(run("plan", str(EXAMPLES / example), "--format", "json", *extra))["events"]
    # timed texts in schedule order; the sales-triggered cues (at: null) in their own section after the sale's
    lines = [*text.splitlines(), ""]
    for group in ([e for e in events if e["at"]], [e for e in events if not e["at"]]):
        position = 0
        for event in group:
            block = event["text"].splitlines()
            # each text, line for line, after its heading line and a blank line, in schedule order
            while lines[position : position + len(block)] != block:
                position += 1
                assert position < len(lines), f"{event['kind']}: text not found as is"
            assert lines[position - 1] == "" and lines[position + len(block)] == ""
            assert any(line.startswith("▶ ") for line in lines[max(0, position - 8) : position])
            position += len(block)


@pytest.mark.parametrize("command", ["plan", "timeline"])
@pytest.mark.parametrize("example", ALL)
def test_plain_text_has_no_markdown_no_indents_no_hard_wraps(command, example):
    text = run(command, str(EXAMPLES / example), "--format", "text")
    events = json.loads(run(command, str(EXAMPLES / example), "--format", "json"))["events"]
    copy_lines = {line for e in events for line in e["text"].splitlines()}
    for line in text.splitlines():
        if line in copy_lines:
            continue  # a line of copy is as the copy has it
        assert not line[:1].isspace(), repr(line)
        assert not re.match(r"(#{1,6} |> |```|\|---)", line), repr(line)
        assert "**" not in line and "`" not in line, repr(line)
    assert "\x1b[" not in text
    if command == "timeline":
        for event in events:
            assert event["title"] in text


def test_o_txt_writes_the_plain_text_and_timeline_text_is_one_line_per_action(tmp_path):
    out = tmp_path / "plan.txt"
    assert runner.invoke(app, ["plan", str(EXAMPLES / "retail.yml"), "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8") == run("plan", str(EXAMPLES / "retail.yml"), "--format", "text")
    timeline = run("timeline", str(EXAMPLES / "retail.yml"), "-f", "text")
    assert "19:20 (T−10m) 群内 · 红包雨" in timeline and "19:20 (T−10m) 群内 · 红包雨 · 群主+水军1 · GR-6" in timeline


def test_headings_do_not_repeat_the_channel_and_colons_follow_the_language():
    for fmt in ("md", "text"):
        plan = run("plan", str(EXAMPLES / "retail.yml"), "--format", fmt)
        assert "公众号·同步预告" in plan and "公众号 · 公众号" not in plan and "会员群 · 会员群" not in plan
    zh = run("timeline", str(EXAMPLES / "orange.yml")) + run("plan", str(EXAMPLES / "orange.yml"))
    assert "群名：" in zh and "群名:" not in zh
    en = run("timeline", str(EXAMPLES / "apples-en.yml")) + run("plan", str(EXAMPLES / "apples-en.yml"))
    assert "Groups: " in en and "：" not in en


def test_markdown_starts_with_a_metadata_block_with_title_and_language():
    zh = run("plan", str(EXAMPLES / "retail.yml"))
    assert zh.startswith('---\ntitle: "社区生鲜周末快闪 · 快闪群执行方案"\nlang: zh-CN\n---\n\n# ')
    en = run("timeline", str(EXAMPLES / "apples-en.yml"))
    assert en.startswith('---\ntitle: "Orchard Weekend Flash Sale · timeline"\nlang: en\n---\n\n# ')


def pandoc() -> str:
    found = shutil.which("pandoc")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("pandoc is missing in CI (.ci/run installs it)")
        pytest.skip("pandoc not installed")
    return found


@pytest.mark.parametrize(
    ("example", "title", "lang"),
    [
        ("retail.yml", "社区生鲜周末快闪 · 快闪群执行方案", "zh-CN"),
        ("apples-en.yml", "Orchard Weekend Flash Sale · flash-group run book", "en"),
    ],
)
def test_pandoc_docx_and_html_come_out_titled_in_the_campaign_language(tmp_path, example, title, lang):
    plan = tmp_path / "plan.md"
    assert runner.invoke(app, ["plan", str(EXAMPLES / example), "-o", str(plan)]).exit_code == 0
    docx, html = tmp_path / "plan.docx", tmp_path / "plan.html"
    subprocess.run([pandoc(), str(plan), "-s", "-o", str(docx)], check=True, timeout=120)
    subprocess.run([pandoc(), str(plan), "-s", "-o", str(html)], check=True, timeout=120)
    with zipfile.ZipFile(docx) as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
        styles = archive.read("word/styles.xml").decode("utf-8")
        body = archive.read("word/document.xml").decode("utf-8")
    assert f"<dc:title>{title}</dc:title>" in core
    (tag,) = re.findall(r"<w:lang [^>]*>", styles)  # the default run language of the document
    assert f'w:val="{lang}"' in tag  # pandoc 2.17 sets w:val from `lang` (w:eastAsia stays its reference doc's)
    assert '<w:pStyle w:val="Title" />' in body and title in body
    page = html.read_text(encoding="utf-8")
    assert f"<title>{title}</title>" in page and f'lang="{lang}"' in page
