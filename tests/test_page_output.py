"""The run page as a file (issue 11): self-contained, escaped, the contract's events and texts, small; the CLI around it.

What the page does in a browser is in test_page_browser.py; this reads the HTML with the standard library's parser.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from flashgroup_cli.emit import render_text
from flashgroup_cli.pipeline import plan_document

from .conftest import EXAMPLES, campaign_yaml

HOSTILE = "</script><script>alert(1)</script><!-- <img src=x onerror=alert(2)> & \u2028 ok"


class Page(HTMLParser):
    """Elements with their attributes, the text of [data-copy] elements by event, and the raw script bodies."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.events: dict[int, dict[str, Any]] = {}
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._event: int | None = None
        self._copy_depth = 0
        self._script: dict[str, str | None] | None = None
        self._depth = 0
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "script":
            self._script = a
        if tag == "article" and "data-kind" in a:
            self._event = int(a["data-i"] or -1)
            self.events[self._event] = {"kind": a["data-kind"], "at": a["data-at"], "text": None}
        if self._copy_depth:
            self._copy_depth += 1
        elif "data-copy" in a and self._event is not None:
            self._copy_depth = 1
            self.events[self._event]["text"] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None
        if self._copy_depth:
            self._copy_depth -= 1
        if tag == "article":
            self._event = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))
        if self._copy_depth and self._event is not None:
            self.events[self._event]["text"] += data


def run_cli(*args: str) -> Any:
    from typer.testing import CliRunner

    from flashgroup_cli.cli import app

    return CliRunner().invoke(app, list(args))


def page_and_contract(path: Path, compressed: bool = False) -> tuple[str, dict[str, Any]]:
    doc = plan_document(path, compressed=compressed)
    return render_text(doc, "html", plan=True), json.loads(render_text(doc, "json", plan=True))


@pytest.mark.parametrize("compressed", [False, True])
@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yml")), ids=lambda p: p.stem)
def test_every_event_is_on_the_page_with_its_kind_time_and_text(example, compressed):
    html, contract = page_and_contract(example, compressed)
    page = Page(html)
    assert len(page.events) == len(contract["events"])
    for i, event in enumerate(contract["events"]):
        assert page.events[i] == {"kind": event["kind"], "at": event["at"] or "", "text": event["text"]}
    data = json.loads(next(body for attrs, body in page.scripts if attrs.get("type") == "application/json"))
    assert data["events"] == contract["events"] and data["campaign"] == contract["campaign"]
    assert ("lang", "zh-CN" if contract["campaign"]["language"] == "zh" else "en") in page.tags[0][1].items()


def test_the_page_is_self_contained():
    html, _ = page_and_contract(EXAMPLES / "retail.yml")
    page = Page(html)
    for tag, attrs in page.tags:
        assert "src" not in attrs, tag
        href = attrs.get("href")
        assert href is None or href == "data:," or href.startswith("#"), href
        assert tag not in ("iframe", "object", "embed", "img", "form", "base"), tag
    assert not re.search(r"https?://|//[a-z]", html.replace("http-equiv", "")), "no address of any kind"
    assert "@import" not in html and "url(" not in html


def test_only_the_pages_own_script_may_run():
    html, _ = page_and_contract(EXAMPLES / "retail.yml")
    page = Page(html)
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp and "default-src 'none'" in csp and "connect-src 'none'" in csp
    code = [body for attrs, body in page.scripts if not attrs.get("type")]
    assert len(code) == 1
    digest = base64.b64encode(hashlib.sha256(code[0].encode("utf-8")).digest()).decode()
    assert f"'sha256-{digest}'" in csp


def test_hostile_campaign_text_is_escaped(write_campaign):
    path = write_campaign(
        campaign_yaml(
            name=f"年终 {HOSTILE}",
            brand=f"鲜果 {HOSTILE}",
            products=[{"name": f"脐橙 {HOSTILE}", "price": 19.9, "market_price": 39.9, "stock": 300, "criteria": ["low_price"]}],
            tiers=[{"at": 150, "gift": f"沃柑 {HOSTILE}"}],
        )
    )
    html, contract = page_and_contract(path)
    page = Page(html)
    assert [t for t, _ in page.tags].count("script") == 2  # the data and the page's script, nothing injected
    assert not [t for t, _ in page.tags if t == "img"]
    assert html.count("</script>") == 2 and "<!-- <img" not in html
    data = json.loads(next(body for attrs, body in page.scripts if attrs.get("type") == "application/json"))
    assert data["campaign"]["name"] == f"年终 {HOSTILE}"
    assert all(page.events[i]["text"] == e["text"] for i, e in enumerate(contract["events"]))


def test_retail_page_is_small():
    html, _ = page_and_contract(EXAMPLES / "retail.yml")
    assert len(html.encode("utf-8")) < 300_000


def test_same_file_same_page():
    assert page_and_contract(EXAMPLES / "orange.yml")[0] == page_and_contract(EXAMPLES / "orange.yml")[0]


def test_battle_report_slots_cover_every_sold_out_combination():
    from flashgroup_cli.outputs.html_output import ORDERS_SLOT, _report_variants, _sold_slot

    doc = plan_document(EXAMPLES / "retail.yml")
    variants = _report_variants(doc)
    assert len(variants) == 2 ** len(doc.campaign.products)
    assert all(ORDERS_SLOT in v for v in variants)
    # issue 8, item 7: the report names sell-outs and totals, never a product's unsold figure
    assert _sold_slot(0) not in variants[0] and "全部抢光" not in variants[0]
    assert "全部抢光" in variants[1] and variants[7].count("全部抢光") == 3


def test_plan_writes_the_page_by_suffix_or_format(tmp_path):
    out = tmp_path / "plan.html"
    result = run_cli("plan", str(EXAMPLES / "retail.yml"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = run_cli("plan", str(EXAMPLES / "apples-en.yml"), "--format", "html")
    assert result.exit_code == 0 and result.stdout.startswith("<!DOCTYPE html>") and '<html lang="en">' in result.stdout


def test_a_folder_of_campaigns_gives_one_page_each(tmp_path):
    out = tmp_path / "pages"
    result = run_cli("plan", str(EXAMPLES), "-o", str(out), "--format", "html")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{p.stem}.html" for p in EXAMPLES.glob("*.yml"))


def test_timeline_has_no_page(tmp_path):
    result = run_cli("timeline", str(EXAMPLES / "retail.yml"), "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2 and "flashgroup plan" in result.output
    assert not (tmp_path / "x.html").exists()


def test_times_carry_their_utc_offset_where_the_zone_has_dst(write_campaign):
    """New York: the warm-up posts before 1 Nov 2026 are at −04:00, the sale after it at −05:00; Shanghai has none."""
    path = write_campaign(campaign_yaml(start="2026-11-03 20:00", timezone="America/New_York"))
    html, contract = page_and_contract(path)
    offsets = set(re.findall(r'<span class="utc">UTC([−+]\d\d:\d\d)</span>', html))
    assert offsets == {"−04:00", "−05:00"}
    assert html.count('<span class="utc">') == len([e for e in contract["events"] if e["at"]])
    assert '<span class="utc">' not in page_and_contract(EXAMPLES / "retail.yml")[0]


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yml")), ids=lambda p: p.stem)
def test_every_example_in_the_other_language_too(example, tmp_path):
    """The page's words follow the campaign's language; the copy and the roster come from that language's templates."""
    text = example.read_text(encoding="utf-8")
    other = "en" if "language: zh" in text else "zh"
    flipped = tmp_path / example.name
    flipped.write_text(re.sub(r"^language: \w+", f"language: {other}", text, flags=re.M), encoding="utf-8")
    html, contract = page_and_contract(flipped)
    page = Page(html)
    assert contract["campaign"]["language"] == other
    assert all(page.events[i]["text"] == e["text"] for i, e in enumerate(contract["events"]))
    assert ('<html lang="en">' in html) == (other == "en")
    assert (">复制</button>" in html) == (other == "zh") and (">Copy</button>" in html) == (other == "en")


def test_the_live_battle_report_is_the_users_own_template(tmp_path):
    """With --templates, the report the live figures fill is the user's moments.battle_report, in their words."""
    from flashgroup_cli.outputs.html_output import ORDERS_SLOT, _report_variants, _sold_slot

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "moments.battle_report.zh.j2").write_text(
        "{% set r = c.results %}今晚一共 {{ r.orders }} 单！\n"
        "{% for p in c.products %}{% set sold = r.sold[loop.index0] %}"
        "{{ p.name }}{% if sold == p.stock %}卖光了{% else %}卖了{{ sold }}{{ p.unit }}{% endif %}\n{% endfor %}",
        encoding="utf-8",
    )
    doc = plan_document(EXAMPLES / "orange.yml", templates=mine)
    variants = _report_variants(doc)
    name = doc.campaign.products[0].name
    assert variants[0].startswith(f"今晚一共 {ORDERS_SLOT} 单！") and f"{name}卖了{_sold_slot(0)}" in variants[0]
    assert f"{name}卖光了" in variants[1]
    html = render_text(doc, "html", plan=True)
    assert "今晚一共" in html
