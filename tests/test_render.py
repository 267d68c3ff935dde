"""The copy (issue 3): a template per kind and language, strict and sandboxed, exact money, clean text everywhere."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashgroup_cli.campaign_file import parse_campaign
from flashgroup_cli.copy_context import product_view
from flashgroup_cli.errors import UserError
from flashgroup_cli.events import KINDS
from flashgroup_cli.formatting import money, span, when
from flashgroup_cli.model import Product
from flashgroup_cli.render import CopyWriter, split_note, template_name
from flashgroup_cli.resources import templates_dir
from flashgroup_cli.schedule import build_schedule

from .conftest import EXAMPLES, ROOT, campaign_yaml

# SEL-4: a lead-in product (strong link) with the follow-up offer it leads to.
LEAD_IN_PRODUCT = {
    "name": "鸡蛋",
    "price": 1,
    "market_price": 10,
    "stock": 300,
    "criteria": ["strong_link", "low_price"],
    "linked_offer": "储值卡充200送30",
}
FORBIDDEN = ("{{", "}}", "{%", "%}", "None", "undefined", "nan", "NaN")


def writer_for(text: str, compressed: bool = False, user_dir=None) -> CopyWriter:
    campaign = parse_campaign(text)
    return CopyWriter(campaign, build_schedule(campaign, compressed=compressed), user_dir)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_event_kind_has_a_template_in_both_languages(language):
    missing = [k for k in KINDS if not (templates_dir() / template_name(k, language)).is_file()]
    assert not missing
    assert (templates_dir() / f"sheet.{language}.j2").is_file()


def test_money_is_exact_with_no_float_noise():
    assert money(Decimal("19.9")) == "¥19.9"
    assert money(Decimal("19.90")) == "¥19.9"
    assert money(Decimal("20")) == "¥20"
    assert money(Decimal("0.1") + Decimal("0.2"), "$") == "$0.3"
    assert money(Decimal("19.999")) == "¥20"  # two decimals at most, rounded
    assert money(Decimal("1234.5")) == "¥1234.5"


def test_sel_3_price_comparison_computes_savings_against_every_reference():
    product = Product(
        "脐橙", Decimal("19.9"), 300, market_price=Decimal("39.9"), platform_prices=(("天猫", Decimal("35.9")), ("拼多多", Decimal("19.9")))
    )
    view = product_view(product, 1, "zh")
    assert view.saving == Decimal("20.0") and money(view.saving) == "¥20"
    assert [(c.platform, money(c.saving)) for c in view.comparisons] == [(None, "¥20"), ("天猫", "¥16")]  # equal price: no claim
    assert view.best_saving == Decimal("20.0")
    assert view.discount == "5折"
    assert product_view(product, 1, "en").discount == "50% off"


def test_discount_rounds_to_one_decimal_in_zh():
    view = product_view(Product("牛腩", Decimal("59"), 200, market_price=Decimal("89")), 1, "zh")
    assert view.discount == "6.6折"


def test_dates_in_the_readers_words():
    c = parse_campaign(campaign_yaml())
    assert when(c.start, "zh") == "12月12日（周六）20:00"
    assert when(c.start, "en") == "Sat 12 Dec, 20:00"
    assert span(90, "zh") == "1小时30分钟" and span(30, "en") == "30 min"


def test_wu_3_survey_lists_numbered_options_and_asks_for_comments():
    texts = writer_for(campaign_yaml()).texts()
    survey = texts[0][1]
    # numbered 1. 2. (not keycap emoji: with 5 options they would break the emoji limit, issue 10)
    assert "年终福利，你最想要哪一款？" in survey
    assert re.search(r"^\(?1[.)] 赣南脐橙$", survey, re.M) and re.search(r"^\(?2[.)] 四川丑橘$", survey, re.M)
    assert "评论区" in survey


def test_wu_6_teaser_has_date_in_readers_words_and_likers_gift():
    writer = writer_for(campaign_yaml(liker_gift="2个沃柑"))
    teaser = next(t for e, (_, t) in zip(writer.schedule.events, writer.texts()) if e.kind == "moments.teaser")
    assert "明晚8点" in teaser and "点赞" in teaser and "2个沃柑" in teaser  # published the evening before (item 4)


def test_gr_6_red_envelope_note_has_the_budget():
    writer = writer_for(campaign_yaml(red_envelopes={"count": 10, "amount": 5, "recipients": 20}, audience=240))
    note, text = next(nt for e, nt in zip(writer.schedule.events, writer.texts()) if e.kind == "group.red_envelopes")
    assert "10 个红包" in note and "¥5" in note and "¥50" in note and "共 ¥100" in note
    assert "红包" in text


def test_gr_13_stock_updates_carry_the_real_numbers():
    writer = writer_for(campaign_yaml())
    updates = [t for e, (_, t) in zip(writer.schedule.events, writer.texts()) if e.kind == "group.stock_update"]
    assert any("150" in t for t in updates) and any("20" in t for t in updates) and any("抢光" in t for t in updates)


def test_end_1_close_says_no_extension():
    writer = writer_for(campaign_yaml())
    close = next(t for e, (_, t) in zip(writer.schedule.events, writer.texts()) if e.kind == "group.close")
    assert "不加量" in close


WRAPUPS = {
    "questionnaire": {"action": "questionnaire", "link": "https://x.cn/q"},
    "tester": {"action": "tester", "product": "新品沃柑"},
    "member_card": "member_card",
    "sorting": "sorting",
}


@pytest.mark.parametrize(
    "action,word", [("questionnaire", "问卷"), ("tester", "体验官"), ("member_card", "会员"), ("sorting", "加群主微信")]
)
def test_end_3_wrapup_says_the_one_chosen_action(action, word):
    writer = writer_for(campaign_yaml(wrapup=WRAPUPS[action]))
    wrapup = next(t for e, (_, t) in zip(writer.schedule.events, writer.texts()) if e.kind == "group.wrapup")
    assert word in wrapup


def test_sel_4_lead_in_offer_is_mentioned_at_the_wrapup():
    products = [LEAD_IN_PRODUCT]
    writer = writer_for(campaign_yaml(products=products, wrapup="member_card"))
    wrapup = next(t for e, (_, t) in zip(writer.schedule.events, writer.texts()) if e.kind == "group.wrapup")
    assert "储值卡充200送30" in wrapup


def test_end_4_battle_report_makes_no_figure_up_without_results():
    writer = writer_for(campaign_yaml())
    note, report = next(nt for e, nt in zip(writer.schedule.events, writer.texts()) if e.kind == "moments.battle_report")
    assert "____" not in report and not any(ch.isdigit() for ch in report)
    assert "results" in note


def test_wu_5_polishing_variant_is_deterministic_and_varies_between_campaigns():
    first = [
        t
        for e, (_, t) in zip(writer_for(campaign_yaml()).schedule.events, writer_for(campaign_yaml()).texts())
        if e.kind == "moments.polishing"
    ]
    again = [
        t
        for e, (_, t) in zip(writer_for(campaign_yaml()).schedule.events, writer_for(campaign_yaml()).texts())
        if e.kind == "moments.polishing"
    ]
    assert first == again and len(first) == 2 and first[0] != first[1]
    texts = set()
    for i in range(12):
        w = writer_for(campaign_yaml(name=f"快闪{i}"))
        texts.add(next(t for e, (_, t) in zip(w.schedule.events, w.texts()) if e.kind == "moments.polishing"))
    assert len(texts) >= 3


def test_notes_are_split_from_the_copy():
    assert split_note("» for the host\n\nhello\n» also\nworld\n") == ("for the host\nalso", "hello\nworld")


def test_user_template_overrides_by_file_name(tmp_path):
    (tmp_path / "group.close.zh.j2").write_text("时间到，结束！{{ c.end|clock }}", encoding="utf-8")
    writer = writer_for(campaign_yaml(), user_dir=tmp_path)
    close = next(t for e, (_, t) in zip(writer.schedule.events, writer.texts()) if e.kind == "group.close")
    assert close == "时间到，结束！20:30"


@pytest.mark.parametrize(
    "body",
    [
        "{{ c.__class__ }}",
        "{{ c.name.__class__.__mro__ }}",
        "{{ ''.__class__.__subclasses__() }}",
        "{{ e.at.__class__.__init__.__globals__ }}",
        "{% include '/etc/passwd' %}",
        "{% include '../../../../../../etc/passwd' %}",
        "{{ c.no_such_value }}",
        "{{ c.products.append(1) }}",
    ],
)
def test_user_templates_cannot_reach_python_internals_or_files(tmp_path, body):
    (tmp_path / "group.close.zh.j2").write_text(body, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        writer_for(campaign_yaml(), user_dir=tmp_path).texts()
    assert "root:" not in str(caught.value)


def test_a_template_syntax_error_is_a_clear_error(tmp_path):
    (tmp_path / "group.close.zh.j2").write_text("{% if %}", encoding="utf-8")
    with pytest.raises(UserError, match="group.close.zh.j2"):
        writer_for(campaign_yaml(), user_dir=tmp_path).texts()


# CJK names only: Latin letters could spell "nan" or "None" and trip the leftover check by themselves.
product_names = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=12)


@st.composite
def varied_campaigns(draw):
    count = draw(st.integers(1, 5))
    products = []
    for i in range(count):
        price = draw(st.decimals(min_value=Decimal("0.1"), max_value=Decimal("999"), places=2))
        product = {"name": f"{draw(product_names)}{i}", "price": float(price), "stock": draw(st.integers(1, 2000))}
        if draw(st.booleans()):
            product["market_price"] = float(price + draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2)))
        if draw(st.booleans()):
            product["selling_points"] = [draw(product_names)]
        if draw(st.booleans()):
            product["worry"] = {"question": "会坏吗？", "answer": "坏了包赔"}
        if draw(st.booleans()):
            product["platform_prices"] = {"天猫": float(price) + 5}
        products.append(product)
    total = sum(p["stock"] for p in products)
    tiers = [{"at": max(1, total // 3), "gift": "加赠"}] if draw(st.booleans()) and total >= 3 else None
    overrides = {
        "products": products,
        "tiers": tiers,
        "language": draw(st.sampled_from(["zh", "en"])),
        "wrapup": draw(st.sampled_from(list(WRAPUPS.values()) + ["none"])),
        "channels": draw(st.sampled_from([[], ["official_account", "member_group", "video_channel"]])),
        "liker_gift": draw(st.sampled_from([None, "小礼物"])),
        "duration": f"{draw(st.integers(10, 120))}m",
        "start": f"2026-12-{draw(st.integers(10, 28)):02d} {draw(st.integers(0, 23)):02d}:{draw(st.sampled_from(['00', '15', '30', '45']))}",
        "audience": draw(st.sampled_from([None, 50, 500])),
    }
    return campaign_yaml(**overrides), draw(st.booleans())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(varied_campaigns())
def test_no_rendered_text_has_holes_or_leftovers(case):
    text, compressed = case
    writer = writer_for(text, compressed)
    for event, (note, copy) in zip(writer.schedule.events, writer.texts()):
        assert copy.strip(), event.kind
        for bad in FORBIDDEN:
            assert bad not in copy and bad not in note, (event.kind, bad, copy)
        assert "0.30000000000000004" not in copy and "00000001" not in copy
    sheet = writer.sheet()
    assert sheet.strip() and not any(bad in sheet for bad in FORBIDDEN)


def test_english_money_has_cents_and_units_agree_in_number():
    from flashgroup_cli.formatting import unit_noun

    assert money(Decimal("19.5"), "$", "en") == "$19.50" and money(Decimal("20"), "$", "en") == "$20"
    assert [unit_noun("box", n, "en") for n in (1, 2)] == ["box", "boxes"]
    assert [unit_noun("units", n, "en") for n in (1, 250)] == ["unit", "units"]
    assert [unit_noun("箱", n, "en") for n in (1, 150)] == ["箱", "箱"]  # an English campaign with a Chinese unit
    assert [unit_noun("5-pack", n, "en") for n in (1, 2)] == ["5-pack", "5-packs"]
    assert [unit_noun("berry", 2, "en"), unit_noun("kg", 5, "en"), unit_noun("箱", 5, "zh")] == ["berries", "kg", "箱"]


# Every rule RULES.md marks "copy" (GR-4 is the group-name pattern, written in the sheet rather than an event).
COPY_RULES = (
    "SEL-3",
    "SEL-4",
    "WU-3",
    "WU-4",
    "WU-5",
    "WU-6",
    "WU-7",
    "WU-8",
    "WU-10",
    "GR-2",
    "GR-6",
    "GR-7",
    "GR-8",
    "GR-9",
    "GR-10",
    "GR-13",
    "GR-14",
    "END-1",
    "END-3",
    "END-4",
    "END-5",
)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_copy_rule_has_its_text(language):
    products = [LEAD_IN_PRODUCT]
    writer = writer_for(campaign_yaml(language=language, products=products, wrapup="member_card", channels=["official_account"]))
    texts = writer.texts()
    covered = {rule for event, (_, text) in zip(writer.schedule.events, texts) if text for rule in event.rules}
    assert set(COPY_RULES) <= covered, set(COPY_RULES) - covered
    assert "GR-4" in writer.sheet() and "鲜果铺子福利1群" in writer.sheet()


def test_end_4_battle_report_takes_the_real_figures_when_the_file_has_them():
    text = campaign_yaml() + "results: {orders: 512, minutes: 18, sold: [300]}\n"
    writer = writer_for(text)
    note, report = next(nt for e, nt in zip(writer.schedule.events, writer.texts()) if e.kind == "moments.battle_report")
    assert "18分钟" in report and "512" in report and "全部抢光" in report and "____" not in report
    assert "____" not in note


def test_every_json_field_is_documented_in_timeline_json_md():
    # docs/timeline-json.md lists every field of the top level, `campaign` and `events[]` in a table row, nulls included.
    import json as json_module
    import re

    from typer.testing import CliRunner

    from flashgroup_cli.cli import app

    doc = (ROOT / "docs" / "timeline-json.md").read_text(encoding="utf-8")
    documented = {name for row in re.findall(r"^\| (.+?) \|", doc, flags=re.M) for name in re.findall(r"`([a-z_]+)`", row)}
    for example in ("retail.yml", "apples-en.yml"):
        for command in ("timeline", "plan"):
            data = json_module.loads(CliRunner().invoke(app, [command, str(EXAMPLES / example), "-f", "json"]).stdout)
            fields = set(data) | set(data["campaign"]) | {key for event in data["events"] for key in event}
            assert fields <= documented, sorted(fields - documented)
            cues = [e for e in data["events"] if e["at"] is None]
            assert cues and all(e["offset"] is None and e["trigger"] for e in cues)


def test_the_shared_wording_is_made_once_per_campaign_and_given_to_every_template(tmp_path, monkeypatch):
    """`w` (_words.<lang>.j2) is made once per campaign and handed to every template (issue 13: importing it with
    context in each template made it anew for every text); a user template may use it as is or import it itself."""
    from jinja2.environment import Template

    made = []
    original = Template.make_module

    def counting(self, *args, **kwargs):
        made.append(self.name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Template, "make_module", counting)
    writer = writer_for(campaign_yaml())
    texts = writer.texts()
    assert len(texts) > 20 and made.count("_words.zh.j2") == 1
    plain = dict(zip((e.kind for e in writer.schedule.events), texts))
    (tmp_path / "group.rules.zh.j2").write_text("群规：{{ w.pay() }}\n", encoding="utf-8")
    (tmp_path / "group.close.zh.j2").write_text('{% import "_words.zh.j2" as w with context %}结束：{{ w.pay() }}\n', encoding="utf-8")
    mine = dict(zip((e.kind for e in writer.schedule.events), writer_for(campaign_yaml(), user_dir=tmp_path).texts()))
    pay = writer._words().pay()
    assert pay and mine["group.rules"][1] == f"群规：{pay}" and mine["group.close"][1] == f"结束：{pay}"
    assert mine["group.chain"] == plain["group.chain"]
