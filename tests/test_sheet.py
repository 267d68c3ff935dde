"""The operator's sheet (sheet.py, templates/sheet.<lang>.j2): complete for the person who runs the sale (issue 8, item 9),
and the same sheet as data in the JSON of `plan` (issue 12, item 8)."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from flashgroup_cli.campaign_file import parse_campaign
from flashgroup_cli.cli import app
from flashgroup_cli.render import CopyWriter
from flashgroup_cli.schedule import build_schedule

from .conftest import EXAMPLES, ROOT, campaign_yaml

runner = CliRunner()
RULE_ID = re.compile(r"\b(?:SEL|WU|GR|END)-\d+\b")


def sheet_for(text: str):
    campaign = parse_campaign(text)
    return CopyWriter(campaign, build_schedule(campaign)).operator_sheet()


def example_sheet(name: str):
    return sheet_for((EXAMPLES / name).read_text(encoding="utf-8"))


def bullets(text: str, heading: str) -> list[str]:
    """The list lines under one `###` heading of the sheet."""
    section = text.split(f"### {heading}", 1)[1].split("\n### ", 1)[0]
    return [line for line in section.splitlines() if line.lstrip().startswith(("- ", "| "))]


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("helpers", [6, 8, 3])
def test_gr_5_as_many_helpers_listed_as_the_file_has_and_extra_helpers_get_general_cues(language, helpers):
    sheet = sheet_for(campaign_yaml(language=language, group={"size": 120, "name": "鲜果铺子福利{n}群", "helpers": helpers}))
    roster = sheet.helper_roles()
    assert [r.number for r in roster] == list(range(1, helpers + 1))
    assert all(role.cues for role in roster)
    label = "水军" if language == "zh" else "Helper "
    listed = {int(m) for m in re.findall(rf"^- {label}(\d+)", sheet.text, re.M)}
    assert listed == set(range(1, helpers + 1))
    specific = sum(1 for r in roster for cue in r.cues if cue.kind != "general")
    general = [r.number for r in roster if [cue.kind for cue in r.cues] == ["general"]]
    assert general == list(range(specific + 1, helpers + 1)) if specific < helpers else general == []


def test_gr_5_orange_lists_six_helpers_as_it_says():
    sheet = example_sheet("orange.yml")
    assert "水军6人" in sheet.text and re.search(r"^- 水军6：全程帮着带气氛", sheet.text, re.M)


def test_gift_budget_and_stock_table_has_what_the_file_gives():
    sheet = example_sheet("retail.yml")  # 3 groups, liker gift, two tiers, member card wrap-up
    rows = {(b.kind, b.condition): b for b in sheet.budget}
    assert set(rows) == {("red_envelopes", None), ("liker_gift", None), ("tier_gift", 300), ("tier_gift", 600)}
    red = rows["red_envelopes", None]
    assert (red.per_group, red.count, str(red.amount)) == (12, 36, "144")  # GR-6: 12 × ¥4 in each of 3 groups
    assert rows["liker_gift", None].count == 330 and rows["liker_gift", None].gift == "一把小葱"  # WU-6: the people, fewer than 900 units
    assert rows["tier_gift", 300].count == 900 and rows["tier_gift", 300].basis == "stock"  # GR-14: at most one order a unit
    table = bullets(sheet.text, "礼品与预算")
    assert table[0].startswith("| 物品 |") and len(table) == 1 + 4  # the header, then one row each
    assert "| 红包雨红包 | 开始前10分钟发，每个20人可抢 | 每群12个，共36个 | 每个¥4，每群¥48，共¥144 | GR-6 |" in table
    assert any("点赞礼：一把小葱" in row and "最多330份" in row and "WU-6" in row for row in table)
    assert any("满600份礼：每单再加赠土鸡蛋6枚" in row and "所有群加起来满600份后" in row and "GR-14" in row for row in table)


def test_gift_table_only_what_the_file_has_and_the_tester_wrapup():
    wrapup = {"action": "tester", "product": "新品沃柑", "claim": "私聊群主留地址"}
    sheet = sheet_for(campaign_yaml(tiers=None, wrapup=wrapup))  # no liker gift, no tiers
    assert [b.kind for b in sheet.budget] == ["red_envelopes", "tester_product", "tester_envelopes"]
    product, envelopes = sheet.budget[1], sheet.budget[2]
    assert (product.gift, product.per_group, product.count) == ("新品沃柑", 1, 3)  # END-3 (b): one tester in each of 3 groups
    assert envelopes.per_group == 10 and envelopes.count == 30  # about 10 envelopes per group
    assert "点赞礼" not in sheet.text and "满150份礼" not in sheet.text
    tester = next(m for m in sheet.materials if m.kind == "tester")
    assert "「新品沃柑」每群1份" in tester.text and "私聊群主留地址" in tester.text


@pytest.mark.parametrize("language", ["zh", "en"])
def test_end_3_questionnaire_gift_in_the_table_or_listed_as_missing(language):
    link = "https://example.com/q"
    with_gift = sheet_for(campaign_yaml(language=language, wrapup={"action": "questionnaire", "link": link, "gift": "沃柑2个"}))
    row = next(b for b in with_gift.budget if b.kind == "questionnaire_gift")
    assert (row.gift, row.count, row.basis) == ("沃柑2个", 360, "members") and not with_gift.missing
    assert link in with_gift.text and "沃柑2个" in with_gift.text
    without = sheet_for(campaign_yaml(language=language, wrapup={"action": "questionnaire", "link": link}))
    assert [m.kind for m in without.missing] == ["questionnaire_gift"] and "`gift`" in without.text
    assert not any(b.kind == "questionnaire_gift" for b in without.budget)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_gr_6_giveaway_replaces_the_red_envelopes_in_the_table_and_the_helper_cue(language):
    giveaway = "the first 10 people to say hi win a jar of apple butter"
    sheet = sheet_for(campaign_yaml(language=language, currency="$", giveaway=giveaway))
    assert [b.kind for b in sheet.budget][:1] == ["giveaway"] and "red_envelopes" not in [b.kind for b in sheet.budget]
    assert sheet.budget[0].gift == giveaway and sheet.budget[0].amount is None
    thanks = next(cue for r in sheet.helper_roles() for cue in r.cues if cue.kind == "thank_envelopes")
    assert ("福利活动" if language == "zh" else "giveaway") in thanks.text and "红包" not in thanks.text


def test_tier_gifts_count_real_orders_once_the_file_has_results():
    sheet = sheet_for(campaign_yaml() + "results: {orders: 212}\n")
    tier = next(b for b in sheet.budget if b.kind == "tier_gift")
    assert (tier.count, tier.basis) == (212, "orders")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_gr_9_unpaid_chain_rule_and_payment_listed_as_missing(language):
    sheet = sheet_for(campaign_yaml(language=language, payment=None))
    assert [m.kind for m in sheet.missing] == ["payment"] and sheet.unpaid_minutes == 10
    unpaid = next(line for line in sheet.rules if line.kind == "unpaid_chain")
    assert unpaid.values == {"unpaid_minutes": 10, "from_file": False} and unpaid.rules == ("GR-9",)
    words = {
        "zh": ("文件里还缺", "`payment`", "接龙后10分钟内没付款的，名额顺延给下一位"),
        "en": ("Missing from the file", "`payment`", "unpaid 10 minutes"),
    }
    assert all(w in sheet.text for w in words[language])


@pytest.mark.parametrize("language", ["zh", "en"])
def test_gr_13_gr_14_one_counter_for_all_groups_calls_the_stock_and_tier_cues(language):
    sheet = example_sheet("retail.yml") if language == "zh" else example_sheet("apples-en.yml")
    counters = [r for r in sheet.roles if r.role == "counter"]
    assert len(counters) == 1 and counters[0].scope == "all" and counters[0].people == 1
    kinds = [cue.kind for cue in counters[0].cues]
    products = len(sheet.materials) - sum(1 for m in sheet.materials if m.kind != "product")
    assert kinds.count("call_stock") == products and kinds.count("call_tier") == len([b for b in sheet.budget if b.kind == "tier_gift"])
    one = next(line for line in sheet.rules if line.kind == "one_counter")
    assert one.text and set(one.rules) == {"GR-13", "GR-14"}
    assert (
        "所有群加起来满300份时，通知各群群主" if language == "zh" else "when all groups together reach 150, tell every host"
    ) in sheet.text


def test_one_group_counter_words_do_not_speak_of_all_groups():
    sheet = example_sheet("orange.yml")
    counter = next(r for r in sheet.roles if r.role == "counter")
    assert not any("各群" in cue.text or "所有群" in cue.text for cue in counter.cues)


@pytest.mark.parametrize("groups", [1, 3])
def test_gr_2_one_host_per_group(groups):
    sheet = sheet_for(campaign_yaml(audience=120 * groups))
    host = next(r for r in sheet.roles if r.role == "host")
    assert host.scope == "group" and host.people == groups == len(sheet.groups)
    line = next(line for line in sheet.rules if line.kind == "host_per_group")
    assert ("3个群就要3名群主" in line.text) == (groups == 3)


@pytest.mark.parametrize(
    ("fulfilment", "kind", "words"),
    [
        (None, "collect_addresses", ("收件人、电话和地址",)),
        ({"pickup": {"where": "龙华店", "from": "15:00"}}, "pickup_list", ("到店自提：龙华店，12月13日（周日）15:00起提货", "提货名单")),
        ({"local_delivery": {"area": "南山区", "when": "当晚8点前"}}, "local_addresses", ("只送南山区，当晚8点前送到", "电话和详细地址")),
    ],
)
def test_end_5_addresses_when_shipping_a_pickup_list_or_local_addresses(fulfilment, kind, words):
    sheet = sheet_for(campaign_yaml(fulfilment=fulfilment))
    assert sheet.fulfilment == {"collect_addresses": "delivery", "pickup_list": "pickup", "local_addresses": "local_delivery"}[kind]
    line = next(line for line in sheet.rules if line.kind == kind)
    assert all(w in line.text for w in words) and line.rules == ("END-5",)
    host = next(r for r in sheet.roles if r.role == "host")
    assert kind in [cue.kind for cue in host.cues]
    others = {"collect_addresses", "pickup_list", "local_addresses"} - {kind}
    assert not any(line.kind in others for line in sheet.rules)
    if kind == "pickup_list":
        assert "发快递" not in sheet.text and "收件人" not in sheet.text


@pytest.mark.parametrize("language", ["zh", "en"])
def test_gr_9_with_payment_the_host_answers_and_the_file_unpaid_minutes_rule(language):
    payment = {"method": "群收款", "note": "点群里的群收款付款", "unpaid_minutes": 15}
    sheet = sheet_for(campaign_yaml(language=language, payment=payment))
    assert not sheet.missing and sheet.unpaid_minutes == 15
    unpaid = next(line for line in sheet.rules if line.kind == "unpaid_chain")
    assert unpaid.values == {"unpaid_minutes": 15, "from_file": True} and "15" in unpaid.text
    host = next(r for r in sheet.roles if r.role == "host")
    answer = next(cue for cue in host.cues if cue.kind == "answer_payment")
    assert "群收款" in answer.text and "点群里的群收款付款" in answer.text
    setup = next(m for m in sheet.materials if m.kind == "payment_setup")
    assert "群收款" in setup.text
    assert ("付款链接" if language == "zh" else "payment link") not in sheet.text  # how to pay is the method, not a link


@pytest.mark.parametrize(("size", "limits"), [(120, [40, 100]), (80, [40]), (40, None)])
def test_gr_1_wechat_invite_limits_by_group_size(size, limits):
    sheet = sheet_for(campaign_yaml(group={"size": size, "name": "鲜果铺子福利{n}群", "helpers": 6}))
    line = next((line for line in sheet.people if line.kind == "invite_limits"), None)
    if limits is None:
        assert line is None and "实名" not in sheet.text
        return
    assert line is not None and line.values["limits"] == limits
    assert "超过40人" in line.text and ("实名认证" in line.text) == (100 in limits) and "12月11日（周五）前建好群" in line.text


@pytest.mark.parametrize("language", ["zh", "en"])
def test_wu_1_ad_posters_are_removed(language):
    sheet = sheet_for(campaign_yaml(language=language))
    line = next(line for line in sheet.rules if line.kind == "ad_posters")
    assert ("移出群" if language == "zh" else "removes them") in line.text


@pytest.mark.parametrize("example", ["orange.yml", "retail.yml", "apples-en.yml"])
def test_every_line_of_the_sheet_carries_its_rule_ids(example):
    sheet = example_sheet(example)
    lines = [line for line in sheet.text.splitlines() if line.lstrip().startswith(("- ", "| ")) and not line.startswith("|---")]
    header = lines.pop(next(i for i, line in enumerate(lines) if line.startswith("| ")))  # the table's header row
    assert "|" in header
    roles_with_sublists = [line for line in lines if line.endswith(("：", "):"))]
    assert len(roles_with_sublists) == 2  # the host and the counter: their cues below each carry the IDs
    assert [line for line in lines if line not in roles_with_sublists and not RULE_ID.search(line)] == []


@pytest.mark.parametrize("example", ["orange.yml", "retail.yml", "apples-en.yml"])
def test_plan_json_carries_the_sheet_as_data_and_as_text(example):
    result = runner.invoke(app, ["plan", str(EXAMPLES / example), "--format", "json"])
    assert result.exit_code == 0, result.output
    sheet = json.loads(result.stdout)["sheet"]
    markdown = runner.invoke(app, ["plan", str(EXAMPLES / example)]).stdout
    assert sheet["text"] in markdown
    assert [r["role"] for r in sheet["roles"]][:2] == ["host", "counter"]
    helpers = [r for r in sheet["roles"] if r["role"] == "helper"]
    yaml_text = (EXAMPLES / example).read_text(encoding="utf-8")
    assert len(helpers) == int(re.search(r"helpers: (\d+)", yaml_text).group(1))  # type: ignore[union-attr]
    for role in sheet["roles"]:
        assert role["label"] and role["cues"]
        for cue in role["cues"]:
            assert cue["text"] and cue["text"] in sheet["text"] and cue["rules"] and "\n" not in cue["text"]
            assert cue["at"] is None or cue["at"][:4].isdigit()
    for section in ("missing", "people", "materials", "rules"):
        for line in sheet[section]:
            assert line["text"] in sheet["text"] and line["kind"] and isinstance(line["values"], dict)
    for row in sheet["budget"]:
        assert row["text"] and row["rules"] and (row["amount"] is None or isinstance(row["amount"], str))


def test_every_sheet_field_is_documented():
    doc = (ROOT / "docs" / "timeline-json.md").read_text(encoding="utf-8")
    section = doc.split("## The operator's sheet", 1)[1]
    sheets = [json.loads(runner.invoke(app, ["plan", str(EXAMPLES / e), "--format", "json"]).stdout)["sheet"] for e in EXAMPLE_FILES]
    fields: set[str] = set()
    kinds: set[str] = set()
    for sheet in sheets:
        fields |= fields_and_kinds(sheet)[0]
        kinds |= fields_and_kinds(sheet)[1]
    assert [f for f in sorted(fields | kinds) if f"`{f}`" not in section] == []


EXAMPLE_FILES = ("orange.yml", "retail.yml", "apples-en.yml")


def fields_and_kinds(sheet):
    fields = set(sheet) | {k for r in sheet["roles"] for k in r} | {k for r in sheet["roles"] for c in r["cues"] for k in c}
    fields |= {k for row in sheet["budget"] for k in row} | {k for line in sheet["rules"] for k in line}
    kinds = {c["kind"] for r in sheet["roles"] for c in r["cues"]} | {row["kind"] for row in sheet["budget"]}
    kinds |= {line["kind"] for s in ("missing", "people", "materials", "rules") for line in sheet[s]}
    values = {k for s in ("missing", "people", "materials", "rules") for line in sheet[s] for k in line["values"]}
    return fields | values, kinds


def test_a_user_sheet_template_without_the_macros_is_a_template_error_not_a_traceback(tmp_path):
    from flashgroup_cli.render import TemplateProblem

    (tmp_path / "sheet.zh.j2").write_text("### 我的清单\n{% for r in s.roles %}- {{ r.role }}\n{% endfor %}", encoding="utf-8")
    campaign = parse_campaign(campaign_yaml())
    with pytest.raises(TemplateProblem, match="sheet.zh.j2: the sheet template must define the macros"):
        CopyWriter(campaign, build_schedule(campaign), tmp_path).operator_sheet()


@pytest.mark.parametrize("language", ["zh", "en"])
def test_gr_6_tester_draw_where_red_packets_do_not_work(language):
    wrapup = {"action": "tester", "product": "new pears", "claim": "message the host"}
    sheet = sheet_for(campaign_yaml(language=language, currency="$", giveaway="the first 10 to say hi win pears", wrapup=wrapup))
    tester = next(m for m in sheet.materials if m.kind == "tester")
    assert ("改成抽奖" if language == "zh" else "or a quick draw") in tester.text


def test_the_sheet_lines_are_worded_only_for_the_formats_that_show_them(monkeypatch):
    """Issue 13: wording each line of the sheet again (its macros) is for the JSON, the run page and the cards; a
    Markdown plan has the sheet's body and skips it. What is worded is the sheet operator_sheet() gives, made once."""
    from flashgroup_cli import sheet as sheet_module
    from flashgroup_cli.emit import render_text
    from flashgroup_cli.pipeline import campaign_document

    calls = []
    real = sheet_module.with_texts
    monkeypatch.setattr(sheet_module, "with_texts", lambda *args: calls.append(1) or real(*args))
    campaign = parse_campaign((EXAMPLES / "retail.yml").read_text(encoding="utf-8"))
    doc = campaign_document(campaign, plan=True)
    render_text(doc, "md", plan=True)
    assert calls == []
    assert doc.sheet_data == CopyWriter(campaign, build_schedule(campaign)).operator_sheet()
    assert doc.sheet_data is doc.sheet_data and len(calls) == 2  # the document's, made once, and the one compared
    assert json.loads(render_text(doc, "json", plan=True))["sheet"]["roles"] and len(calls) == 2
