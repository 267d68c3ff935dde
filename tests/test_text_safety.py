"""Issue 9, item 4: user text is escaped where each format needs it, once, in the output modules (safe_text.py):
ICS escaping and folding with no raw line break (also under `python -O`), CSV formula prefix, Markdown outside code
blocks, rich markup and terminal control characters. Hostile names go through every format and are read back."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from io import StringIO

import icalendar
from markdown_it import MarkdownIt
from rich.console import Console

from flashgroup_cli.emit import render_text, show_table
from flashgroup_cli.pipeline import plan_document
from flashgroup_cli.safe_text import csv_cell, md_inline, one_line, quoted, visible

from .conftest import campaign_yaml

MARKDOWN_NAME = "5斤*2箱 <b>粗</b> [点我](http://x.test) _斜_ `码` &copy; # | ~~划~~"
RICH_NAME = "[/] [link=http://evil.test]点[/link] [bold]x"
FORMULA = '=HYPERLINK("http://evil.test","x")'
ICS_NAME = "a;b,c\\d 年终\u2028快闪"  # written escaped ("\u2028") in the file: raw, the loader refuses it


def _yaml(**overrides) -> str:
    """The file as campaign_yaml writes it, with a name holding U+2028 written escaped, as a JSON string (valid YAML)."""
    import json

    name = overrides.pop("name", None)
    text = campaign_yaml(**overrides)
    if name is not None:
        old = text.splitlines()[0]
        assert old.startswith("name: ")
        text = text.replace(old, "name: " + json.dumps(name), 1)
    return text


def _document(tmp_path, **overrides):
    path = tmp_path / "c.yml"
    path.write_text(_yaml(**overrides), encoding="utf-8")
    return plan_document(path)


def _products(name: str) -> list[dict[str, object]]:
    return [{"name": name, "price": 19.9, "market_price": 39.9, "stock": 300, "criteria": ["low_price"]}]


def test_markdown_headings_and_lines_read_user_text_literally(tmp_path):
    doc = _document(tmp_path, name=MARKDOWN_NAME, brand="*鲜果*", products=_products(MARKDOWN_NAME))
    for kind in (True, False):
        text = render_text(doc, "md", plan=kind)
        text = text.split("\n---\n", 1)[1]  # the pandoc metadata block (a JSON string, tested in test_plan_cli) is not CommonMark
        text = text.replace(doc.sheet.replace("<", "\\<"), "")  # the operator's sheet is the template's own Markdown (docs/limits.md)
        tokens = MarkdownIt("commonmark").enable("strikethrough").parse(text)
        inline = [child for token in tokens if token.type == "inline" for child in token.children or []]
        kinds = {child.type for child in inline}
        assert not kinds & {"em_open", "strong_open", "link_open", "html_inline", "s_open"} or _only_from_labels(inline)
        assert "html_block" not in {t.type for t in tokens}
        headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
        assert any("5斤\\*2箱" in h for h in headings)


def test_the_operators_sheet_in_markdown_opens_no_raw_html(tmp_path):
    """The sheet is the template's Markdown (emphasis from a name stays possible there, docs/limits.md), but a name
    never becomes HTML in pandoc's output."""
    doc = _document(tmp_path, products=_products("<img src=x onerror=alert(1)> <b>粗</b>"))
    text = render_text(doc, "md", plan=True).split("\n---\n", 1)[1]
    sheet = text.split("\n## ", 2)[1]
    tokens = MarkdownIt("commonmark").parse(sheet)
    inline = [child.type for token in tokens if token.type == "inline" for child in token.children or []]
    assert "html_inline" not in inline and "html_block" not in {t.type for t in tokens}
    assert "<b>粗</b>" in doc.sheet  # the data keeps the name as written; only the Markdown escapes it


def _only_from_labels(inline) -> bool:
    """Emphasis the plan's own labels use (`> **Note**:`) is allowed; none may wrap user text."""
    texts = []
    depth = 0
    for child in inline:
        if child.type in ("em_open", "link_open", "html_inline", "s_open"):
            return False
        if child.type == "strong_open":
            depth += 1
        elif child.type == "strong_close":
            depth -= 1
        elif depth and child.type == "text":
            texts.append(child.content)
    return all("2箱" not in t and "鲜果" not in t for t in texts)


def test_csv_cells_that_look_like_formulas_start_with_an_apostrophe(tmp_path):
    doc = _document(tmp_path, products=_products(FORMULA), tiers=[{"at": 150, "gift": "@SUM(A1:A9)"}])
    rows = list(csv.reader(io.StringIO(render_text(doc, "csv", plan=True).lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert any(FORMULA in c for c in cells)
    assert csv_cell("-5") == "'-5" and csv_cell("T−2h") == "T−2h" and csv_cell("\tx") == "'\tx"


def test_ics_escapes_and_folds_user_text_with_no_raw_line_break(tmp_path):
    doc = _document(tmp_path, name=ICS_NAME, brand="鲜果;铺子", products=_products("脐橙,5斤;装\\"))
    text = render_text(doc, "ics", plan=True)
    lines = text.split("\r\n")
    assert "\n" not in text.replace("\r\n", "") and "\r" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    calendar = icalendar.Calendar.from_ical(text)
    assert str(calendar["X-WR-CALNAME"]) == "a;b,c\\d 年终 快闪"  # the separator became a space: a one-line property
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert any("脐橙,5斤;装\\" in s for s in summaries)


def test_ics_is_the_same_under_python_optimize(tmp_path):
    path = tmp_path / "c.yml"
    path.write_text(_yaml(name=ICS_NAME, products=_products("脐橙,5斤;装")), encoding="utf-8")
    code = "import sys; from flashgroup_cli.cli import main; sys.argv = ['flashgroup', 'plan', sys.argv[1], '-f', 'ics']; main()"
    env = {**os.environ, "FLASHGROUP_CACHE_DIR": "off"}
    plain = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, env=env)
    optimized = subprocess.run([sys.executable, "-O", "-c", code, str(path)], capture_output=True, env=env)
    assert plain.returncode == optimized.returncode == 0, optimized.stderr
    assert plain.stdout == optimized.stdout and b"\n" not in plain.stdout.replace(b"\r\n", b"")


def test_rich_table_shows_markup_as_text_and_adds_no_hyperlink(tmp_path):
    doc = _document(tmp_path, name=RICH_NAME, brand="[red]鲜果", products=_products(RICH_NAME))
    buffer = StringIO()
    show_table(doc, Console(file=buffer, width=200, force_terminal=True, color_system="truecolor"))
    shown = buffer.getvalue()
    assert "\x1b]8;" not in shown  # no OSC 8 terminal hyperlink
    assert "[link=http://evil.test]" in shown and "[/]" in shown
    plain = render_text(doc, "table", plan=False)
    assert "[red]鲜果" in plain


def test_control_characters_never_reach_a_terminal_raw():
    assert visible("a\x1b[2Jb\x07c\n\td") == "a\\x1b[2Jb\\x07c\n\td"
    assert visible("\x9b31m") == "\\x9b31m"
    assert "\x1b" not in md_inline("\x1b]8;;http://x\x1b\\")


def test_error_messages_quote_user_values_on_one_line():
    assert one_line("x\nevil.yml:1:1: error: forged") == "x\\nevil.yml:1:1: error: forged"
    assert quoted('a"b\r\n\u2028\x1b') == '"a\\"b\\r\\n\\u2028\\x1b"'
    assert quoted("x" * 100, 20) == '"' + "x" * 17 + '..."'
    assert one_line("bad\udcffname.yml") == "bad\\xffname.yml"  # a non-UTF-8 file name, shown by its byte


def test_operator_notes_keep_their_code_spans_and_read_user_text_literally():
    """A note quotes user text (the GR-9 chain note quotes the product's worry): no emphasis, strikethrough or HTML
    from it, while the template's own `key` code spans stay code."""
    from flashgroup_cli.safe_text import md_note

    note = md_note("写进 `results.reviews` 再生成：先问「_真的_ ~~假~~ *粗* <b>x</b> a_b」")
    tokens = MarkdownIt("commonmark").enable("strikethrough").parse(note)
    inline = [child for token in tokens if token.type == "inline" for child in token.children or []]
    assert {child.type for child in inline} <= {"text", "code_inline"}
    assert [child.content for child in inline if child.type == "code_inline"] == ["results.reviews"]
    assert "".join(child.content for child in inline if child.type == "text").endswith("「_真的_ ~~假~~ *粗* <b>x</b> a_b」")
    lone = MarkdownIt("commonmark").parse(md_note("an odd ` backtick and _this_"))
    assert {c.type for t in lone if t.type == "inline" for c in t.children or []} == {"text"}
