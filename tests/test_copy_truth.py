"""Copy an operator can paste without editing (issue 8): every customer text true to the campaign file, nothing to fill in.

The truth test renders campaigns of every shape, in both languages and for every fulfilment; the tests after it hold
one item of the issue each, and each would fail on the copy as it was before.
"""

from __future__ import annotations

import itertools
import re
from datetime import timedelta
from typing import Any

import pytest

from flashgroup_cli.campaign_file import parse_campaign
from flashgroup_cli.events import Event
from flashgroup_cli.render import CopyWriter
from flashgroup_cli.schedule import build_schedule

from .conftest import campaign_yaml

INTERNAL_NAME = "内部代号Q4-水果快闪"
PLACEHOLDERS = re.compile(r"\[[^\]\n]*\]|____|（贴上|TODO")
DELIVERY_WORDS = re.compile(r"发货|快递|物流|单号|\bship|courier|tracking", re.IGNORECASE)

PICKUP = {"pickup": {"where": "龙华店", "from": "15:00"}}
LOCAL = {"local_delivery": {"area": "南山区", "when": "当晚8点前"}}
FULFILMENTS = {"delivery": "delivery", "pickup": PICKUP, "local_delivery": LOCAL}


def product(name: str, price: float, stock: int, **more: Any) -> dict[str, Any]:
    return {"name": name, "price": price, "market_price": round(price * 2, 1), "stock": stock, **more}


SHAPES: dict[str, dict[str, Any]] = {
    # a cosmetics brand: 2 products, no tiers, no reviews, no selling points
    "two-no-tiers": {
        "products": [product("玻尿酸面膜 10片", 39, 300), product("氨基酸洁面 120g", 29, 300)],
        "tiers": None,
        "audience": 110,
        "survey": {"question": "下次快闪你想要哪样？", "options": ["面膜", "洁面"]},
    },
    # a bakery: 1 product, 45 minutes, 80 people
    "bakery": {
        "products": [product("手作欧包 2个装", 19.9, 200, selling_points=["下午3点出炉"])],
        "duration": "45m",
        "start": "2026-12-12 11:00",
        "audience": 80,
        "tiers": None,
        "survey": {"question": "周末想吃哪种面包？", "options": ["欧包", "吐司"]},
    },
    # a tea shop: 5 products, 3 tiers, 4 groups
    "tea-five": {
        "products": [product(f"茶{i} 100g", 30 + i, 300, reviews=["好喝"]) for i in range(5)],
        "audience": 440,
        "tiers": [{"at": 300, "gift": "茶包"}, {"at": 600, "gift": "茶杯"}, {"at": 1400, "gift": "茶盘"}],
        "duration": "60m",
        "survey": {"question": "想喝哪种茶？", "options": ["绿茶", "红茶"]},
    },
}


def render(compressed: bool = False, **overrides: Any) -> list[tuple[Event, str, str]]:
    campaign = parse_campaign(campaign_yaml(**overrides))
    writer = CopyWriter(campaign, build_schedule(campaign, compressed=compressed))
    return [(event, note, copy) for event, (note, copy) in zip(writer.schedule.events, writer.texts())]


def copy_of(texts: list[tuple[Event, str, str]], kind: str) -> list[str]:
    return [copy for event, _, copy in texts if event.kind == kind]


def one(texts: list[tuple[Event, str, str]], kind: str) -> str:
    (copy,) = copy_of(texts, kind)
    return copy


CASES = list(itertools.product(sorted(SHAPES), ("zh", "en"), sorted(FULFILMENTS), (True, False), (False, True)))


@pytest.mark.parametrize("shape,language,fulfilment,with_payment,compressed", CASES)
def test_every_customer_text_is_true_and_pasteable(shape, language, fulfilment, with_payment, compressed):
    overrides = dict(SHAPES[shape])
    overrides.update(name=INTERNAL_NAME, language=language, fulfilment=FULFILMENTS[fulfilment], liker_gift="小礼物")
    if not with_payment:
        overrides["payment"] = None
    texts = render(compressed, **overrides)
    for event, _, copy in texts:
        assert not PLACEHOLDERS.search(copy), (event.kind, copy)
        assert INTERNAL_NAME not in copy, (event.kind, copy)  # item 5: the internal name stays internal
        if fulfilment != "delivery":
            assert not DELIVERY_WORDS.search(copy), (event.kind, copy)
        if event.kind == "group.invite":
            assert event.channel == "private"  # item 2
        assert event.channel != "group" or event.kind != "group.invite"
    # item 6: no silence over 5 minutes in the group between S and E
    campaign = parse_campaign(campaign_yaml(**overrides))
    start, end = campaign.start, campaign.sale_end
    group = sorted({e.at for e, _, _ in texts if e.at and e.kind.startswith("group.") and start <= e.at <= end})
    assert group[0] == start and group[-1] == end
    assert max(b - a for a, b in zip(group, group[1:])) <= timedelta(minutes=5), [t.strftime("%H:%M") for t in group]


# -- item 1: WU-4, the results post names the winner truthfully ---------------------------------------------------
def test_wu_4_results_say_what_won_and_what_was_added():
    products = [product("赣南脐橙 5斤装", 19.9, 300), product("四川丑橘 5斤", 29.9, 300)]
    texts = render(products=products, survey={"question": "想要哪个？", "options": ["脐橙", "丑橘"], "winner": "脐橙"})
    results = one(texts, "moments.results")
    assert "「脐橙」" in results and "主角" in results and "另外加场：四川丑橘" in results
    assert "按大家选的来" not in results


def test_wu_4_a_winner_not_on_sale_is_never_called_the_line_up():
    texts = render(survey={"question": "想要哪个？", "options": ["水果", "牛肉"], "winner": "牛肉"})
    results = one(texts, "moments.results")
    assert "「牛肉」" in results and "按大家选的来" not in results and "主角" not in results


@pytest.mark.parametrize("language", ["zh", "en"])
def test_wu_4_no_warm_up_text_calls_the_line_up_what_people_voted_for(language):
    texts = render(language=language)
    for kind in ("moments.teaser", "moments.launch", "moments.self_comment", "group.invite"):
        for copy in copy_of(texts, kind):
            assert not re.search(r"大家选的|投票选出|you voted", copy, re.IGNORECASE), (kind, copy)


# -- item 2: invites are 1:1 private messages ---------------------------------------------------------------------
def test_invite_refers_to_the_post_and_asks_before_adding():
    texts = render()
    invite = one(texts, "group.invite")
    assert "朋友圈" in invite and "预告" in invite and "/" not in invite and "点过赞/留过言" not in invite
    assert "先拉你进来" not in invite and invite.index("回我") < invite.index("拉你进群")


def test_invite_is_on_the_private_channel_in_every_format(tmp_path):
    import csv
    import io
    import json

    from typer.testing import CliRunner

    from flashgroup_cli.cli import app

    path = tmp_path / "c.yml"
    path.write_text(campaign_yaml(), encoding="utf-8")
    run = CliRunner()

    def out(*args: str) -> str:
        result = run.invoke(app, ["timeline", str(path), *args], env={"COLUMNS": "200", "NO_COLOR": "1"})
        assert result.exit_code == 0, result.output
        return result.stdout

    events = json.loads(out("--format", "json"))["events"]
    assert [e["channel"] for e in events if e["kind"] == "group.invite"] == ["private"]
    rows = list(csv.reader(io.StringIO(out("--format", "csv"))))
    invite_rows = [r for r in rows if "group.invite" in r]
    assert invite_rows and all("私聊" in r for r in invite_rows)
    assert any("私聊" in line and "1对1私聊邀约进群" in line for line in out("--format", "md").splitlines())
    assert any("私聊" in line and "1对1" in line for line in out("--format", "table").splitlines())
    ics = out("--format", "ics") if "ics" in run.invoke(app, ["timeline", "--help"]).stdout else ""
    if ics:
        assert "CATEGORIES:私聊" in ics.replace("\r\n ", "")


# -- item 3: tiers counted across groups, with the distance to the next -------------------------------------------
def test_tiers_say_all_groups_and_the_distance_and_the_last_has_no_next():
    tiers = [{"at": 300, "gift": "葱"}, {"at": 350, "gift": "蒜"}, {"at": 900, "gift": "姜"}]
    texts = render(audience=330, tiers=tiers, products=[product("苹果", 10, 300), product("梨", 10, 300), product("桃", 10, 300)])
    first, second, last = copy_of(texts, "group.tier_reached")
    assert "3个群加起来已经卖出 300 份" in first and "还差 50 份" in first and "差一点点" in first
    assert "还差 550 份" in second and "差一点点" not in second
    assert "下一档" not in last and "最后一档" in last
    assert "3个群加起来满300份" in one(texts, "group.rules")


# -- item 4: time words follow the publish time --------------------------------------------------------------------
def test_time_words_follow_when_the_text_goes_out():
    compressed = render(compressed=True, liker_gift="小礼物")
    teaser = one(compressed, "moments.teaser")  # goes out at 10:00 on the sale day
    assert "今晚8点开抢" in teaser and "12月12日" not in teaser
    standard = render()
    assert "明晚8点" in one(standard, "moments.teaser")
    assert "今晚8点" in copy_of(standard, "moments.launch")[0]
    assert "结果明天上午10点公布" in one(standard, "moments.survey")
    assert "结果今天下午3点公布" in one(compressed, "moments.survey")


def test_english_times_use_a_12_hour_clock_and_the_zone():
    texts = render(language="en", timezone="America/New_York", start="2027-11-09 19:00")
    assert "tomorrow night at 7 pm ET" in one(texts, "moments.teaser")
    assert "tonight at 7 pm ET" in copy_of(texts, "moments.launch")[0]
    assert "6 hours to go" in copy_of(texts, "moments.launch")[0]


def test_no_talk_of_days_when_the_next_step_is_tomorrow():
    for seed_name in ("甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"):
        for copy in copy_of(render(brand=seed_name), "moments.polishing"):
            assert "过两天" not in copy


# -- item 5: 有奖 only with a gift; no internal name -----------------------------------------------------------------
def test_teaser_says_prize_only_with_a_gift():
    assert "有奖" not in one(render(liker_gift=None), "moments.teaser")
    assert "有奖" in one(render(liker_gift="小葱"), "moments.teaser")
    assert "gift" not in one(render(language="en", liker_gift=None), "moments.teaser").split("\n")[0]


def test_group_announcement_uses_the_brand_not_the_internal_name():
    announcement = copy_of(render(name=INTERNAL_NAME), "group.announcement")[0]
    assert INTERNAL_NAME not in announcement and "鲜果铺子" in announcement


# -- item 6: timed group cues between S and E ------------------------------------------------------------------------
def test_in_sale_cues_fill_the_silence_with_their_rule_ids():
    worry = {"question": "会坏吗？", "answer": "坏了包赔"}
    texts = render(duration="45m", start="2026-12-12 11:00", products=[product("欧包", 19.9, 200, worry=worry)], tiers=None)
    kinds = [e.kind for e, _, _ in texts]
    assert {"group.faq", "group.buyer_photos", "group.recap"} <= set(kinds)
    rules = {e.kind: e.rules for e, _, _ in texts}
    assert rules["group.faq"] == ("GR-9",) and rules["group.buyer_photos"] == ("GR-10",) and rules["group.recap"] == ("GR-13",)
    faq = one(texts, "group.faq")
    assert "会坏吗？" in faq and "坏了包赔" in faq
    assert "欧包 ¥19.9" in copy_of(texts, "group.recap")[0]
    notes = [note for e, note, _ in texts if e.kind == "group.buyer_photos"]
    assert "实拍" in notes[0]


def test_every_product_after_the_first_gets_a_screenshot_prompt():
    three = [product("苹果", 10, 300), product("梨", 10, 300), product("桃", 10, 300)]
    texts = render(products=three)
    assert [e.product for e, _, _ in texts if e.kind == "group.screenshot_nudge"] == [1, 2]
    assert len(copy_of(texts, "group.order_screenshots")) == 1


# -- item 7: battle report --------------------------------------------------------------------------------------------
def test_battle_report_brags_sell_outs_and_totals_never_unsold_stock():
    products = [product("苹果", 10, 300, unit="箱"), product("梨", 10, 200, unit="箱")]
    report = one(render(products=products, results={"orders": 350, "minutes": 18, "sold": [300, 160]}), "moments.battle_report")
    assert "苹果：300箱全部抢光" in report and "一共卖出 460 份" in report and "350 单" in report
    assert "160" not in report and "梨" not in report


# -- item 8: END-3, one action -------------------------------------------------------------------------------------
def test_sorting_wrap_up_adds_no_second_offer():
    lead_in = product("鸡蛋", 1, 300, criteria=["strong_link", "low_price"], linked_offer="储值卡充200送30")
    wrapup = one(render(products=[lead_in], wrapup="sorting"), "group.wrapup")
    assert "储值卡" not in wrapup and "加群主微信" in wrapup


def test_wrap_up_is_tagged_sel_4_only_with_a_follow_up_offer():
    lead_in = product("鸡蛋", 1, 300, criteria=["strong_link", "low_price"], linked_offer="储值卡充200送30")
    tagged = [e.rules for e, _, _ in render(products=[lead_in], wrapup="member_card") if e.kind == "group.wrapup"]
    plain = [e.rules for e, _, _ in render(wrapup="sorting") if e.kind == "group.wrapup"]
    assert tagged == [("END-3", "SEL-4")] and plain == [("END-3",)]


def test_tester_names_the_product_and_the_claim_step():
    wrapup = one(render(wrapup={"action": "tester", "product": "新品沃柑", "claim": "私聊群主留地址"}), "group.wrapup")
    assert "新品沃柑" in wrapup and "私聊群主留地址" in wrapup


def test_questionnaire_carries_its_link_and_names_its_gift():
    wrapup = one(render(wrapup={"action": "questionnaire", "link": "https://x.cn/q", "gift": "一包果干"}), "group.wrapup")
    assert "https://x.cn/q" in wrapup and "一包果干" in wrapup
    bare = one(render(wrapup={"action": "questionnaire", "link": "https://x.cn/q"}), "group.wrapup")
    assert "礼物" not in bare


# -- fulfilment and payment ------------------------------------------------------------------------------------------
def test_pickup_campaign_says_where_and_when_and_reminds_on_the_day():
    texts = render(fulfilment=PICKUP, start="2026-12-12 11:00", duration="45m")
    chain = copy_of(texts, "group.chain")[0]
    assert "今天下午3点起到龙华店自提" in chain
    progress = [(e, c) for e, _, c in texts if e.kind == "moments.progress"]
    ready_at = progress[0][0].at.astimezone(parse_campaign(campaign_yaml()).zone)
    assert (ready_at.day, ready_at.hour) == (12, 15) and "龙华店" in progress[0][1]


def test_local_delivery_says_the_area_and_the_time():
    chain = copy_of(render(fulfilment=LOCAL), "group.chain")[0]
    assert "当晚8点前送到南山区" in chain and not DELIVERY_WORDS.search(chain)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_chain_and_rules_say_how_to_pay(language):
    texts = render(language=language, payment={"method": "小程序", "note": "点群公告里的小程序付款", "unpaid_minutes": 15})
    chain, rules = copy_of(texts, "group.chain")[0], one(texts, "group.rules")
    assert "点群公告里的小程序付款" in chain and "15" in chain and "15" in rules
    bare = render(language=language, payment=None)
    said = "群主会发付款方式" if language == "zh" else "the host posts how to pay"
    assert said in copy_of(bare, "group.chain")[0] and said in one(bare, "group.rules")


def test_reviews_post_quotes_only_this_sales_buyers():
    products = [product("赣南脐橙 5斤装", 19.9, 300, reviews=["去年买了三箱"])]
    before = one(render(products=products), "moments.reviews")
    assert "去年买了三箱" not in before and "“" not in before
    after = one(render(products=products, results={"orders": 10, "reviews": ["今年的更甜"]}), "moments.reviews")
    assert "今年的更甜" in after and "去年买了三箱" not in after


# -- reference prices (SEL-3) and short names -----------------------------------------------------------------------
def test_reference_price_is_not_called_the_brands_own_price():
    texts = render()
    for _, _, copy in texts:
        assert "日常" not in copy and "原价" not in copy
    assert "市场价 ¥39.9" in one(texts, "moments.teaser")
    labelled = [dict(product("脐橙", 19.9, 300), reference_label="日常价")]
    assert "日常价 ¥39.8" in one(render(products=labelled), "moments.teaser")


def test_saving_is_against_the_lowest_reference_and_up_to_only_with_several():
    single = [product("脐橙", 20, 300)]
    intro = one(render(products=single), "group.product_intro")
    assert "省 ¥20" in intro and "最多" not in intro
    several = [dict(product("脐橙", 20, 300), platform_prices={"天猫": 30})]
    intro = one(render(products=several), "group.product_intro")
    assert "比天猫还便宜 ¥10" in intro and "最多省 ¥20" in intro
    en = one(render(products=single, language="en"), "group.product_intro")
    assert "up to" not in en and "you save ¥20" in en


def test_sentences_use_the_short_name():
    texts = render(products=[product("山东烟台红富士 10斤", 29.9, 300)])
    for copy in copy_of(texts, "group.stock_update"):
        assert "山东烟台红富士" in copy and "10斤" not in copy


# -- item 10: the smaller list, and English for its readers ----------------------------------------------------------
def test_smaller_list_zh():
    texts = render()
    rules, announcement = one(texts, "group.rules"), copy_of(texts, "group.announcement")[0]
    assert "不补单" not in rules + announcement + one(texts, "group.close")
    assert "3分钟" not in rules and "逐个介绍1款" not in announcement
    two = [product("苹果", 10, 300), product("梨", 10, 300)]
    intros = copy_of(render(products=two), "group.product_intro")
    assert not any("主角" in i for i in intros)
    sold_out = [c for e, _, c in render(products=two) if e.kind == "group.stock_update" and e.trigger.kind == "sold_out"]
    assert "梨" in sold_out[0] and "苹果" in sold_out[1]
    single = render()
    assert sum("今天开卖" in c or "今天" in c.split("】")[1] for c in copy_of(single, "moments.self_comment")) == 0


def test_english_is_written_for_its_readers():
    big = [product("Green tea", 10, 1050, unit="tin")]
    texts = render(language="en", currency="$", giveaway="the first 10 people to say hi win a tin of tea", products=big, tiers=None)
    everything = "\n".join(copy for _, _, copy in texts)
    assert "red envelope" not in everything.lower() and "🧧" not in everything
    assert "the first 10 people to say hi win a tin of tea" in one(texts, "group.red_envelopes")
    assert "1,050" in everything and "1050" not in everything
    assert 'reply "1"' not in everything.lower() and 'comment "1"' not in everything.lower() and "chain order" not in everything
    intros = copy_of(render(language="en", products=[product("A", 1, 300), product("B", 1, 300)]), "group.product_intro")
    assert len({i.splitlines()[1] for i in intros}) == 2  # no fallback sentence twice in a row


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize(
    "wrapup",
    [
        "sorting",
        "member_card",
        {"action": "tester", "product": "新品可颂", "claim": "到店报名字领取"},
        {"action": "questionnaire", "link": "https://x.cn/q", "gift": "一包果干"},
    ],
    ids=["sorting", "member_card", "tester", "questionnaire"],
)
def test_every_wrap_up_plans_without_an_advertising_law_finding(tmp_path, language, wrapup):
    """The shipped copy itself passes the AD checks (手气最佳 is an absolute claim to AD-1)."""
    from typer.testing import CliRunner

    from flashgroup_cli.cli import app

    path = tmp_path / "c.yml"
    path.write_text(campaign_yaml(language=language, wrapup=wrapup, fulfilment=PICKUP), encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
