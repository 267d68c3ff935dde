"""Campaign file v1: every kind of bad input gives located problems, never a traceback (issue 2, item 5)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from flashgroup_cli.campaign_file import load_campaign, parse_campaign
from flashgroup_cli.errors import CampaignError

from .conftest import campaign_yaml

LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): error: (?P<rest>.+)$")


def problems_of(text: str) -> list[str]:
    with pytest.raises(CampaignError) as caught:
        parse_campaign(text, "c.yml")
    lines = str(caught.value).splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines
    return lines


def test_valid_base_campaign_loads_with_exact_values():
    c = parse_campaign(campaign_yaml(), "c.yml")
    assert c.products[0].price == Decimal("19.9")
    assert c.duration == timedelta(minutes=30)
    assert c.start.isoformat() == "2026-12-12T20:00:00+08:00"
    assert c.survey.winner == "赣南脐橙"
    assert c.benefit == "赣南脐橙"


def test_defaults_when_optional_keys_are_missing():
    text = campaign_yaml(timezone=None, duration=None, language=None, group=None, tiers=None, audience=None)
    c = parse_campaign(text)
    assert c.timezone == "Asia/Shanghai"
    assert c.duration == timedelta(minutes=30)
    assert c.language == "zh"
    assert c.group.size == 120 and c.group.helpers == 6
    assert c.group.name == "鲜果铺子福利{n}群"


def test_start_with_offset_is_converted_to_the_zone():
    c = parse_campaign(campaign_yaml(start="2026-12-12T12:00:00+00:00"))
    assert c.start.isoformat() == "2026-12-12T20:00:00+08:00"


def test_missing_file(tmp_path):
    with pytest.raises(CampaignError, match="no such file"):
        load_campaign(tmp_path / "nope.yml")


def test_folder_is_not_a_campaign(tmp_path):
    with pytest.raises(CampaignError, match="is a folder"):
        load_campaign(tmp_path)


def test_empty_file(write_campaign):
    with pytest.raises(CampaignError, match="empty"):
        load_campaign(write_campaign(""))


def test_not_utf8_points_at_the_byte(tmp_path):
    path = tmp_path / "gbk.yml"
    path.write_bytes("name: ok\nbrand: 鲜果铺子\n".encode("gbk"))
    with pytest.raises(CampaignError) as caught:
        load_campaign(path)
    assert re.search(r"gbk.yml:2:8: error: not UTF-8", str(caught.value))


def test_not_a_mapping():
    assert "must be a mapping" in problems_of("- a\n- b\n")[0]


def test_yaml_syntax_error_is_located():
    lines = problems_of("name: a\nbrand: [b\nstart: x\n")
    assert "YAML syntax error" in lines[0]


def test_yaml_python_tag_is_refused_not_run():
    lines = problems_of("name: !!python/object/apply:os.system ['echo hacked']\n")
    assert "YAML tags are not allowed" in lines[0]


def test_custom_tag_is_refused():
    assert "YAML tags are not allowed" in problems_of("name: !secret x\n")[0]


def test_alias_bomb_is_stopped():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb += f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    lines = problems_of(bomb)
    assert any("expands to more than" in line for line in lines)


def test_recursive_alias_is_refused():
    assert any("recursive" in line for line in problems_of("name: &a [*a]\n"))


def test_wrong_type_reports_what_was_found():
    text = campaign_yaml(products=[{"name": "x", "price": 1, "stock": "abc"}])
    lines = problems_of(text)
    assert any('products[0].stock: must be a positive whole number (got "abc")' in line for line in lines)


def test_problem_points_at_the_value_line_and_column():
    text = campaign_yaml().replace("stock: 300", "stock: -3")
    line_no = next(i for i, line in enumerate(text.splitlines(), 1) if "stock: -3" in line)
    col = text.splitlines()[line_no - 1].index("-3") + 1
    (line,) = problems_of(text)
    assert line.startswith(f"c.yml:{line_no}:{col}: error: products[0].stock:")


def test_unknown_key_suggests_the_close_one():
    lines = problems_of(campaign_yaml() + "duraton: 30m\n")
    assert any("duraton: unknown key; did you mean `duration`?" in line for line in lines)


def test_unknown_timezone_suggests_a_real_one():
    lines = problems_of(campaign_yaml(timezone="Asia/Shanghia"))
    assert any('unknown time zone "Asia/Shanghia"; did you mean Asia/Shanghai?' in line for line in lines)


def test_impossible_date():
    lines = problems_of(campaign_yaml(start="2026-02-30 20:00"))
    assert any("start:" in line and "day is out of range" in line for line in lines)


def test_start_without_time_of_day():
    assert any("needs a time of day" in line for line in problems_of(campaign_yaml(start="2026-12-12")))


def test_start_that_does_not_exist_in_its_zone_dst_gap_new_york():
    lines = problems_of(campaign_yaml(start="2026-03-08 02:30", timezone="America/New_York"))
    assert any("does not exist in America/New_York" in line for line in lines)


def test_start_that_is_ambiguous_in_its_zone_dst_end_los_angeles():
    lines = problems_of(campaign_yaml(start="2026-11-01 01:30", timezone="America/Los_Angeles"))
    assert any("happens twice" in line and "-07:00" in line and "-08:00" in line for line in lines)


def test_ambiguous_start_with_offset_is_accepted():
    c = parse_campaign(campaign_yaml(start="2026-11-01T01:30:00-08:00", timezone="America/Los_Angeles"))
    assert c.start.utcoffset() == timedelta(hours=-8)


@pytest.mark.parametrize("duration", ["0m", "5m", "7h", "abc", "-30m", "30 minutes please"])
def test_zero_or_absurd_durations(duration):
    assert any("duration:" in line for line in problems_of(campaign_yaml(duration=duration)))


@pytest.mark.parametrize("duration,minutes", [("30m", 30), ("45m", 45), ("1h", 60), ("1h30m", 90), (40, 40)])
def test_duration_forms(duration, minutes):
    assert parse_campaign(campaign_yaml(duration=duration)).duration == timedelta(minutes=minutes)


def test_no_products():
    assert any("products: must list 1 to 5" in line for line in problems_of(campaign_yaml(products=[])))


def test_more_than_five_products_sel_5():
    items = [{"name": f"p{i}", "price": 1, "stock": 100} for i in range(6)]
    with pytest.raises(CampaignError) as caught:
        parse_campaign(campaign_yaml(products=items))
    assert any(p.code == "SEL-5" for p in caught.value.problems)


def test_tiers_out_of_order_gr_14():
    tiers = [{"at": 200, "gift": "a"}, {"at": 100, "gift": "b"}]
    assert any("tiers[1].at: tiers must go up" in line for line in problems_of(campaign_yaml(tiers=tiers)))


def test_tier_above_total_stock_gr_14():
    tiers = [{"at": 301, "gift": "a"}]
    assert any("above the total stock of 300" in line for line in problems_of(campaign_yaml(tiers=tiers)))


def test_fewer_than_two_survey_options_wu_3():
    survey = {"question": "想要什么？", "options": ["脐橙"]}
    assert any("survey.options: needs at least 2 choices" in line for line in problems_of(campaign_yaml(survey=survey)))


def test_survey_winner_must_be_an_option():
    survey = {"question": "想要什么？", "options": ["脐橙", "丑橘"], "winner": "苹果"}
    assert any("survey.winner" in line for line in problems_of(campaign_yaml(survey=survey)))


def test_all_problems_are_reported_at_once():
    text = campaign_yaml(name=None, timezone="Mars/Base", duration="0m", survey={"question": "?", "options": ["a"]})
    lines = problems_of(text)
    assert len(lines) >= 4
    assert lines == sorted(lines, key=lambda s: (int(s.split(":")[1]), int(s.split(":")[2])))


def test_duplicate_key_is_an_error():
    assert any("duplicate key" in line for line in problems_of(campaign_yaml() + "brand: again\n"))


def test_money_keeps_decimals_exact():
    c = parse_campaign(campaign_yaml(products=[{"name": "x", "price": 0.1, "market_price": 0.3, "stock": 200}]))
    assert c.products[0].price == Decimal("0.1")
    assert c.products[0].market_price - c.products[0].price == Decimal("0.2")


def test_unquoted_clock_times_in_times_section():
    c = parse_campaign(campaign_yaml(times={"morning": "09:30", "afternoon": "14:00", "evening": "21:00"}))
    assert (c.times.morning.hour, c.times.morning.minute) == (9, 30)
    c = parse_campaign(campaign_yaml() + "times: {morning: 9:30}\n")  # YAML 1.1 reads 9:30 as 570
    assert (c.times.morning.hour, c.times.morning.minute) == (9, 30)


def test_merge_keys_and_anchors_work():
    text = campaign_yaml(products=None) + "products:\n  - &p {name: a, price: 10, stock: 100}\n  - {<<: *p, name: b}\n"
    c = parse_campaign(text)
    assert [p.name for p in c.products] == ["a", "b"] and c.products[1].price == 10


def test_results_sold_above_stock_is_an_end_1_error():
    with pytest.raises(CampaignError) as caught:
        parse_campaign(campaign_yaml() + "results: {orders: 10, sold: [301]}\n")
    assert [p.code for p in caught.value.problems] == ["END-1"]
    assert "results.sold[0]" in str(caught.value)


def test_results_sold_must_match_the_products():
    assert any("results.sold" in line for line in problems_of(campaign_yaml() + "results: {sold: [1, 2]}\n"))
    assert any("results.minutes" in line for line in problems_of(campaign_yaml() + "results: {minutes: 45}\n"))


@pytest.mark.parametrize(
    "written,language", [("zh", "zh"), ("zh-CN", "zh"), ("zh_TW", "zh"), ("EN", "en"), ("en-US", "en"), ("中文", "zh")]
)
def test_language_names(written, language):
    assert parse_campaign(campaign_yaml(language=written)).language == language


def test_unknown_language_is_an_error():
    assert any('language: must be zh or en (got "fr")' in line for line in problems_of(campaign_yaml(language="fr")))


def test_id_and_revision_are_read_and_checked():
    c = parse_campaign(campaign_yaml(id="oranges-2026-w50", revision=2), "c.yml")
    assert (c.id, c.revision) == ("oranges-2026-w50", 2)
    assert parse_campaign(campaign_yaml(), "c.yml").id is None
    (problem,) = problems_of(campaign_yaml(revision=-1))
    assert "revision: must be a whole number from 0 to 1000000 (got -1)" in problem
    (problem,) = problems_of(campaign_yaml(id=""))
    assert "id: must not be empty" in problem


# -- issue 8: the keys that let the copy be true (fulfilment, payment, wrapup facts, short names, reference labels) --
def test_new_keys_have_their_documented_defaults():
    c = parse_campaign(campaign_yaml(payment=None))
    assert c.fulfilment.kind == "delivery" and c.payment is None and c.unpaid_minutes == 10
    assert c.giveaway is None and c.wrapup_details.link is None
    assert c.products[0].short == "赣南脐橙" and c.products[0].reference_label is None
    assert c.red_packets_work


def test_fulfilment_pickup_and_local_delivery_are_read():
    c = parse_campaign(campaign_yaml(fulfilment={"pickup": {"where": "龙华店", "from": "15:00"}}))
    assert (c.fulfilment.kind, c.fulfilment.where, c.fulfilment.opens.isoformat()) == ("pickup", "龙华店", "15:00:00")
    c = parse_campaign(campaign_yaml(fulfilment={"local_delivery": {"area": "南山区", "when": "当晚8点前"}}))
    assert (c.fulfilment.kind, c.fulfilment.area, c.fulfilment.when) == ("local_delivery", "南山区", "当晚8点前")


@pytest.mark.parametrize(
    "value,path,words",
    [
        ("pickup", "fulfilment", "needs its details"),
        ({"pickup": {"where": "龙华店"}}, "fulfilment.pickup.from", "is required"),
        ({"pickup": {"where": "龙华店", "from": "下午"}}, "fulfilment.pickup.from", "time of day"),
        ({"local_delivery": {"area": "南山区"}}, "fulfilment.local_delivery.when", "is required"),
        ({"courier": {}}, "fulfilment.courier", "unknown key"),
    ],
)
def test_bad_fulfilment_is_a_located_error(value, path, words):
    (line,) = problems_of(campaign_yaml(fulfilment=value))
    assert f"error: {path}: " in line and words in line


def test_payment_is_read_with_a_default_unpaid_time_and_checked():
    c = parse_campaign(campaign_yaml(payment={"method": "小程序"}))
    assert (c.payment.method, c.payment.note, c.payment.unpaid_minutes) == ("小程序", None, 10)
    assert parse_campaign(campaign_yaml(payment="群收款")).payment.method == "群收款"
    (line,) = problems_of(campaign_yaml(payment={"note": "点链接"}))
    assert "error: payment.method: is required" in line
    (line,) = problems_of(campaign_yaml(payment={"method": "小程序", "unpaid_minutes": 0}))
    assert "payment.unpaid_minutes" in line


def test_end_3_questionnaire_without_a_link_and_tester_without_a_product_are_located_errors():
    (line,) = problems_of(campaign_yaml(wrapup="questionnaire"))
    assert "error: wrapup: a questionnaire needs its link" in line
    (line,) = problems_of(campaign_yaml(wrapup={"action": "tester"}))
    assert "error: wrapup: the tester round needs the product" in line
    c = parse_campaign(campaign_yaml(wrapup={"action": "questionnaire", "link": "https://x.cn/q", "gift": "果干"}))
    assert c.wrapup_action == "questionnaire" and (c.wrapup_details.link, c.wrapup_details.gift) == ("https://x.cn/q", "果干")
    (line,) = problems_of(campaign_yaml(wrapup={"action": "sorting", "lnk": "x"}))
    assert "wrapup.lnk: unknown key; did you mean `link`?" in line


def test_gr_6_a_currency_red_packets_cannot_pay_needs_a_giveaway():
    (line,) = problems_of(campaign_yaml(currency="$"))
    assert "error: currency: WeChat red packets are paid in CNY or HKD only" in line and "giveaway" in line
    c = parse_campaign(campaign_yaml(currency="$", giveaway="the first 10 to say hi win a jar of jam"))
    assert not c.red_packets_work and c.giveaway
    assert parse_campaign(campaign_yaml(currency="HK$")).red_packets_work


@pytest.mark.parametrize(
    "name,short",
    [
        ("山东烟台红富士 10斤", "山东烟台红富士"),
        ("赣南脐橙 5斤装", "赣南脐橙"),
        ("鲜鸡蛋 30枚", "鲜鸡蛋"),
        ("每日坚果 120g", "每日坚果"),
        ("Honeycrisp apples, 10 lb box", "Honeycrisp apples"),
        ("Apple cider, 6 bottles", "Apple cider"),
        ("iPhone 15", "iPhone 15"),
        ("5 lb", "5 lb"),
    ],
)
def test_short_name_drops_a_trailing_pack_size(name, short):
    product = {"name": name, "price": 1, "stock": 300}
    assert parse_campaign(campaign_yaml(products=[product])).products[0].short == short


def test_short_and_reference_label_can_be_written():
    product = {"name": "山东烟台红富士 10斤", "short": "红富士", "reference_label": "日常价", "price": 1, "market_price": 2, "stock": 300}
    p = parse_campaign(campaign_yaml(products=[product])).products[0]
    assert (p.short, p.reference_label) == ("红富士", "日常价")


def test_results_reviews_are_read():
    c = parse_campaign(campaign_yaml(results={"orders": 10, "reviews": ["很甜", "还会再买"]}))
    assert c.results.reviews == ("很甜", "还会再买")
