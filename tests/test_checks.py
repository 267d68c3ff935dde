"""The checks (flashgroup_cli/checks.py): one fixture per rule that triggers exactly that finding, at the right node.

Fixtures live in tests/fixtures/checks/; each is clean.yml with one thing changed (its first line says what).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from flashgroup_cli.campaign_file import load_campaign
from flashgroup_cli.check_registry import REGISTRY, UnknownCodeError, expand_codes, known_codes, severities_by_code
from flashgroup_cli.checks import lint as lint_in_campaign_language
from flashgroup_cli.errors import CampaignError, Location
from flashgroup_cli.findings import ERROR, INFO, WARNING, Finding
from flashgroup_cli.model import Campaign
from flashgroup_cli.rules_catalog import load_catalog

ROOT = Path(__file__).resolve().parent.parent


def lint(loaded: Campaign, **kw: object) -> list[Finding]:
    """The checks with English messages: the fixtures are Chinese campaigns, and these tests read the English words
    (tests/test_check_messages.py holds the Chinese ones)."""
    return lint_in_campaign_language(loaded, language="en", **kw)  # type: ignore[arg-type]


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "checks"
SHANGHAI_NOW = datetime(2026, 12, 1, 9, 0)  # naive: a wall time in the campaign's zone, before any warm-up post
METHOD_RULES = [f"SEL-{i}" for i in range(1, 6)] + [f"WU-{i}" for i in range(1, 12)]
METHOD_RULES += [f"GR-{i}" for i in range(1, 15)] + [f"END-{i}" for i in range(1, 6)]


def campaign(name: str) -> Campaign:
    return load_campaign(FIXTURES / name, display=name)


def only_finding(name: str, **kw: object) -> Finding:
    findings = lint(campaign(name), **kw)  # type: ignore[arg-type]
    assert len(findings) == 1, "\n".join(str(f) for f in findings)
    return findings[0]


def where(name: str, line_text: str, token: str) -> Location:
    """The location of `token` on the (only) line of the fixture that contains `line_text`."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    matches = [i for i, line in enumerate(lines) if line_text in line]
    assert len(matches) == 1, f"{line_text!r} is on {len(matches)} lines of {name}"
    return Location(name, matches[0] + 1, lines[matches[0]].index(token) + 1)


def assert_finding(finding: Finding, code: str, severity: str, path: str, location: Location) -> None:
    assert (finding.code, finding.severity, finding.path, finding.location) == (code, severity, path, location)
    assert finding.message and finding.fix


# -- the clean campaign and the shipped examples ---------------------------------------------------------------------
def test_clean_fixture_has_no_finding_with_or_without_now() -> None:
    assert lint(campaign("clean.yml")) == []
    assert lint(campaign("clean.yml"), now=SHANGHAI_NOW) == []


@pytest.mark.parametrize("example", sorted((ROOT / "examples").glob("*.yml")), ids=lambda p: p.stem)
def test_shipped_examples_have_no_finding(example: Path) -> None:
    loaded = load_campaign(example)
    assert lint(loaded) == []
    assert lint(loaded, now=loaded.start - timedelta(days=10)) == []  # before the first warm-up post


# -- Selection --------------------------------------------------------------------------------------------------------
def test_sel_1_near_expiry_product_is_an_error() -> None:
    name = "sel-1-near-expiry.yml"
    finding = only_finding(name)
    assert_finding(finding, "SEL-1", ERROR, "products[0].near_expiry", where(name, "near_expiry: true", "true"))


def test_sel_1_clearance_flag_points_at_its_own_key(write_campaign) -> None:
    text = (FIXTURES / "clean.yml").read_text(encoding="utf-8").replace("    stock: 200\n", "    stock: 200\n    clearance: true\n")
    loaded = load_campaign(write_campaign(text))
    [finding] = lint(loaded)
    assert (finding.code, finding.path) == ("SEL-1", "products[1].clearance")


def test_sel_2_one_criterion_is_a_warning() -> None:
    name = "sel-2-one-criterion.yml"
    finding = only_finding(name)
    assert_finding(finding, "SEL-2", WARNING, "products[0].criteria", where(name, "criteria: [low_price]", "["))
    assert "1 of the 5" in finding.message


def test_sel_2_no_criteria_at_all_points_at_the_product(write_campaign) -> None:
    text = (FIXTURES / "clean.yml").read_text(encoding="utf-8").replace("    criteria: [high_value, broad_appeal]\n", "")
    [finding] = lint(load_campaign(write_campaign(text)))
    assert (finding.code, finding.path) == ("SEL-2", "products[1]")


def test_sel_3_price_above_a_platform_price_is_an_error() -> None:
    name = "sel-3-dearer-than-a-platform.yml"
    finding = only_finding(name)
    assert_finding(finding, "SEL-3", ERROR, "products[0].price", where(name, "price: 19.9", "19.9"))
    assert "天猫 ¥18.9" in finding.message and "below ¥18.9" in finding.fix


def test_sel_3_price_equal_to_the_market_price_is_an_error(write_campaign) -> None:
    text = (FIXTURES / "clean.yml").read_text(encoding="utf-8").replace("market_price: 45", "market_price: 29.9")
    [finding] = lint(load_campaign(write_campaign(text)))
    assert (finding.code, finding.severity, finding.path) == ("SEL-3", ERROR, "products[1].price")


def test_sel_3_no_reference_price_is_an_info() -> None:
    name = "sel-3-no-reference-price.yml"
    finding = only_finding(name)
    assert_finding(finding, "SEL-3", INFO, "products[1].price", where(name, "price: 29.9", "29.9"))


def test_sel_4_lead_in_without_linked_offer_is_a_warning() -> None:
    name = "sel-4-lead-in-without-offer.yml"
    finding = only_finding(name)
    assert_finding(finding, "SEL-4", WARNING, "products[0].criteria", where(name, "criteria: [low_price, strong_link]", "["))


def test_sel_4_lead_in_with_linked_offer_is_fine(write_campaign) -> None:
    text = (FIXTURES / "sel-4-lead-in-without-offer.yml").read_text(encoding="utf-8")
    text = text.replace("    stock: 300\n", "    stock: 300\n    linked_offer: 水果会员储值卡充200送30\n")
    assert lint(load_campaign(write_campaign(text))) == []


def test_sel_5_four_products_is_a_warning() -> None:
    name = "sel-5-four-products.yml"
    finding = only_finding(name)
    assert_finding(finding, "SEL-5", WARNING, "products", where(name, "- name: 赣南脐橙", "-"))
    assert finding.fix == "keep the 2–3 that meet most criteria"


def test_sel_5_six_products_is_a_load_error_with_the_code() -> None:
    with pytest.raises(CampaignError) as caught:
        campaign("sel-5-six-products.yml")
    assert [p.code for p in caught.value.problems] == ["SEL-5"]


# -- Warm-up --------------------------------------------------------------------------------------------------------
def test_wu_1_audience_far_above_the_interested_is_a_warning() -> None:
    name = "wu-1-audience-beyond-interest.yml"
    finding = only_finding(name)
    assert_finding(finding, "WU-1", WARNING, "audience", where(name, "audience: 240", "240"))


def test_wu_1_needs_an_interested_count(write_campaign) -> None:
    text = (FIXTURES / "wu-1-audience-beyond-interest.yml").read_text(encoding="utf-8").replace("interested: 120\n", "")
    assert lint(load_campaign(write_campaign(text))) == []


def test_wu_2_too_late_for_the_standard_script_is_a_warning() -> None:
    # Standard day 1 is Tue 8 Dec 10:00; the compressed day 1 is Thu 10 Dec 10:00 (Asia/Shanghai).
    finding = only_finding("clean.yml", now=datetime(2026, 12, 8, 10, 1))
    assert_finding(finding, "WU-2", WARNING, "start", where("clean.yml", "start:", "2026"))
    assert "--compressed" in finding.fix and "2026-12-13 20:00" in finding.fix


def test_wu_2_is_not_reported_when_the_compressed_script_is_chosen() -> None:
    assert lint(campaign("clean.yml"), now=datetime(2026, 12, 8, 10, 1), compressed=True) == []


def test_wu_3_open_option_is_a_warning() -> None:
    name = "wu-3-open-option.yml"
    finding = only_finding(name)
    assert_finding(finding, "WU-3", WARNING, "survey.options[2]", where(name, "options:", "其他"))


def test_wu_3_open_question_is_a_warning() -> None:
    name = "wu-3-open-question.yml"
    finding = only_finding(name)
    assert_finding(finding, "WU-3", WARNING, "survey.question", where(name, "question:", "年终"))


@pytest.mark.parametrize(
    "question",
    [
        "年终福利，你最想要哪一款？",
        "Which one do you want for the next sale?",
        "投票：下次秒杀选哪个",
        "What do you want on sale, apples or pears?",
    ],
)
def test_wu_3_closed_questions_pass(write_campaign, question: str) -> None:
    text = (FIXTURES / "clean.yml").read_text(encoding="utf-8").replace("年终福利，你最想要哪一款？", question)
    assert lint(load_campaign(write_campaign(text))) == []


def test_wu_3_english_other_option_is_open_but_mother_is_not(write_campaign) -> None:
    text = (FIXTURES / "clean.yml").read_text(encoding="utf-8")
    text = text.replace("options: [赣南脐橙, 四川丑橘, 云南沃柑]", "options: [Mother's Day box, Pears, Other (tell us)]")
    [finding] = lint(load_campaign(write_campaign(text)))
    assert (finding.code, finding.path) == ("WU-3", "survey.options[2]")


def test_wu_9_too_late_even_for_the_compressed_script_is_an_error() -> None:
    finding = only_finding("clean.yml", now=datetime(2026, 12, 10, 10, 1))
    assert_finding(finding, "WU-9", ERROR, "start", where("clean.yml", "start:", "2026"))
    # 10:01 on 10 Dec is past that morning's survey slot, so day 1 can be 11 Dec at the earliest.
    assert "2026-12-13 20:00 or later (2026-12-15 20:00 for the standard script)" in finding.fix


def test_wu_11_referral_drive_is_an_error() -> None:
    name = "wu-11-referral.yml"
    finding = only_finding(name)
    assert_finding(finding, "WU-11", ERROR, "referral", where(name, "referral:", "referral"))


def test_wu_11_referral_switched_off_is_fine(write_campaign) -> None:
    text = (FIXTURES / "clean.yml").read_text(encoding="utf-8") + "referral: false\n"
    assert lint(load_campaign(write_campaign(text))) == []


# -- In the group ---------------------------------------------------------------------------------------------------
def test_gr_3_group_of_300_is_a_warning() -> None:
    name = "gr-3-group-too-big.yml"
    finding = only_finding(name)
    assert_finding(finding, "GR-3", WARNING, "group.size", where(name, "group:", "300"))
    assert "2 groups for 240 people" in finding.fix


def test_gr_5_two_helpers_is_a_warning() -> None:
    name = "gr-5-too-few-helpers.yml"
    finding = only_finding(name)
    assert_finding(finding, "GR-5", WARNING, "group.helpers", where(name, "group:", "2}"))


@pytest.mark.parametrize(("helpers", "found"), [(4, True), (5, False), (10, False), (11, True)])
def test_gr_5_bounds_are_5_and_10(write_campaign, helpers: int, found: bool) -> None:
    text = (FIXTURES / "clean.yml").read_text(encoding="utf-8").replace("helpers: 6", f"helpers: {helpers}")
    assert [f.code for f in lint(load_campaign(write_campaign(text)))] == (["GR-5"] if found else [])


def test_gr_8_window_too_short_for_the_products_is_a_warning() -> None:
    name = "gr-8-window-too-short.yml"
    finding = only_finding(name)
    assert_finding(finding, "GR-8", WARNING, "duration", where(name, "duration:", "12m"))
    assert "at least 15m" in finding.fix


def test_gr_11_stock_far_above_the_audience_is_a_warning() -> None:
    name = "gr-11-stock-too-large.yml"
    finding = only_finding(name)
    assert_finding(finding, "GR-11", WARNING, "products[0].stock", where(name, "stock: 2000", "2000"))


def test_gr_11_stock_far_below_the_audience_is_a_warning() -> None:
    name = "gr-11-stock-too-small.yml"
    finding = only_finding(name)
    assert_finding(finding, "GR-11", WARNING, "products[0].stock", where(name, "stock: 40", "40"))
    assert "at least 60" in finding.fix


def test_gr_11_without_audience_only_the_500_cap_applies(write_campaign) -> None:
    text = (FIXTURES / "gr-11-stock-too-small.yml").read_text(encoding="utf-8").replace("audience: 240\n", "")
    text = text.replace("interested: 230\n", "")
    assert lint(load_campaign(write_campaign(text))) == []
    text = text.replace("stock: 40", "stock: 600")
    assert [f.code for f in lint(load_campaign(write_campaign(text)))] == ["GR-11"]


def test_gr_12_one_hour_sale_is_a_warning() -> None:
    name = "gr-12-sale-too-long.yml"
    finding = only_finding(name)
    assert_finding(finding, "GR-12", WARNING, "duration", where(name, "duration:", "1h"))


def test_gr_14_tier_out_of_reach_is_a_warning() -> None:
    name = "gr-14-tier-out-of-reach.yml"
    finding = only_finding(name)
    assert_finding(finding, "GR-14", WARNING, "tiers[1].at", where(name, "at: 490", "490"))


def test_gr_14_above_total_stock_is_a_load_error_with_the_code(write_campaign) -> None:
    text = (FIXTURES / "gr-14-tier-out-of-reach.yml").read_text(encoding="utf-8").replace("at: 490", "at: 900")
    with pytest.raises(CampaignError) as caught:
        load_campaign(write_campaign(text))
    assert [p.code for p in caught.value.problems] == ["GR-14"]


# -- Wrap-up ---------------------------------------------------------------------------------------------------------
def test_end_1_extension_is_an_error() -> None:
    name = "end-1-extension.yml"
    finding = only_finding(name)
    assert_finding(finding, "END-1", ERROR, "extension", where(name, "extension:", "extension"))


def test_end_3_two_wrapup_actions_is_a_warning() -> None:
    name = "end-3-two-wrapup-actions.yml"
    finding = only_finding(name)
    assert_finding(finding, "END-3", WARNING, "wrapup", where(name, "wrapup:", "["))
    assert "only member_card is scheduled" in finding.message


def test_gr_9_no_payment_is_a_warning_at_the_top_of_the_file() -> None:
    finding = only_finding("gr-9-no-payment.yml")
    assert_finding(finding, "GR-9", WARNING, "", where("gr-9-no-payment.yml", "name: 赣南脐橙年终快闪", "name"))
    assert "payment" in finding.fix


# -- The calendar ----------------------------------------------------------------------------------------------------
def test_time_1_start_already_past_is_an_error() -> None:
    finding = only_finding("clean.yml", now=datetime(2026, 12, 12, 20, 0))
    assert_finding(finding, "TIME-1", ERROR, "start", where("clean.yml", "start:", "2026"))


def test_time_1_wu_2_wu_9_are_skipped_without_now() -> None:
    past = campaign("clean.yml")
    assert lint(past) == []
    assert [f.code for f in lint(past, now=datetime(2027, 1, 1, tzinfo=timezone.utc))] == ["TIME-1"]


def test_time_2_night_sale_is_one_warning_at_the_start() -> None:
    name = "time-2-night-sale.yml"
    finding = only_finding(name)
    assert_finding(finding, "TIME-2", WARNING, "start", where(name, "start:", "2026"))
    assert "between 13:00 and 22:10" in finding.fix  # S−6h at 07:00 at the earliest; the battle report by 23:00


def test_time_2_night_posts_point_at_the_times_slot() -> None:
    name = "time-2-night-posts.yml"
    finding = only_finding(name)
    assert_finding(finding, "TIME-2", WARNING, "times.morning", where(name, "times:", '"06:00"'))
    assert "Benefit survey at 2026-12-08 06:00" in finding.message


def test_time_2_quiet_hours_are_configurable(write_campaign) -> None:
    text = (FIXTURES / "clean.yml").read_text(encoding="utf-8") + 'quiet_hours: "19:00-08:00"\n'
    findings = lint(load_campaign(write_campaign(text)))
    # The 20:00 sale itself (start) and the 20:00 evening posts (default times: the quiet hours are what is off).
    assert [(f.code, f.path) for f in findings] == [("TIME-2", "start"), ("TIME-2", "quiet_hours")]


def test_time_2_checks_the_compressed_script_when_the_standard_one_is_too_late(write_campaign) -> None:
    # Morning posts at 06:30 fall in the quiet hours (until 07:00) in either script; once the standard script is too
    # late (WU-2), the posts checked are those of the compressed script, and the warning says so.
    text = (FIXTURES / "clean.yml").read_text(encoding="utf-8") + 'times: {morning: "06:30"}\n'
    loaded = load_campaign(write_campaign(text))
    [standard] = lint(loaded)
    assert "standard 5-day" in standard.message
    findings = lint(loaded, now=datetime(2026, 12, 9, 12, 0))
    assert [f.code for f in findings] == ["WU-2", "TIME-2"]
    assert "compressed 3-day" in findings[1].message


# -- --now across a DST change (America/New_York starts DST on Sunday 8 March 2026) -------------------------------------
# dst-new-york.yml: sale Tue 10 March 19:00 EDT. Standard day 1: Fri 6 March 10:00 EST = 15:00 UTC.
# Compressed day 1: Sun 8 March 10:00 EDT = 14:00 UTC (the clocks went forward at 02:00 that morning).
@pytest.mark.parametrize(
    ("now", "codes"),
    [
        ("2026-03-06T09:59", []),
        ("2026-03-06T10:01", ["WU-2"]),
        ("2026-03-08T09:30", ["WU-2"]),  # naive: 09:30 EDT = 13:30 UTC, before the 14:00 UTC survey
        ("2026-03-08T09:30-05:00", ["WU-9"]),  # the same wall time at the old offset is 14:30 UTC: too late
        ("2026-03-08T14:01+00:00", ["WU-9"]),
        ("2026-03-08T02:30", ["WU-2"]),  # a wall time skipped by DST reads with the offset before it: 07:30 UTC
        ("2026-03-10T18:59", ["WU-9"]),
        ("2026-03-10T19:00", ["TIME-1"]),
    ],
)
def test_wu_2_wu_9_time_1_now_across_the_start_of_dst(now: str, codes: list[str]) -> None:
    found = lint(campaign("dst-new-york.yml"), now=datetime.fromisoformat(now))
    assert [f.code for f in found] == codes


def test_wu_2_due_time_is_shown_in_the_zone_before_the_dst_change() -> None:
    finding = only_finding("dst-new-york.yml", now=datetime(2026, 3, 8, 9, 30))
    assert "2026-03-06 10:00" in finding.message and "America/New_York" in finding.message


# -- select, ignore and the file's checks section ------------------------------------------------------------------
def test_select_and_ignore_take_codes_comma_lists_and_families() -> None:
    loaded = campaign("sel-2-one-criterion.yml")
    assert lint(loaded, select=["GR"]) == []
    assert [f.code for f in lint(loaded, select=["gr-3,SEL-2"])] == ["SEL-2"]
    assert lint(loaded, ignore=["SEL"]) == []
    assert lint(loaded, select=["SEL-2"], ignore=["SEL-2"]) == []


def test_unknown_code_raises_with_a_suggestion() -> None:
    with pytest.raises(UnknownCodeError, match="did you mean GR-5"):
        lint(campaign("clean.yml"), select=["GR5"])
    with pytest.raises(UnknownCodeError):
        expand_codes(["WU-7"])  # a rule of the method, but no check enforces it


def test_file_checks_ignore_silences_a_rule_knowingly() -> None:
    assert lint(campaign("file-ignores-sel-2.yml")) == []
    assert lint(campaign("file-ignores-sel-2.yml"), select=["SEL-2"]) == []  # --select does not override the file


def test_chk_1_unknown_code_in_checks_ignore_is_a_warning() -> None:
    name = "chk-1-unknown-ignored-code.yml"
    finding = only_finding(name)
    assert_finding(finding, "CHK-1", WARNING, "checks.ignore[0]", where(name, "ignore: [GR5]", "GR5"))
    assert finding.fix == "did you mean GR-5?"


# -- the registry and the words ----------------------------------------------------------------------------------------
FIXTURE_OF = {
    "SEL-1": "sel-1-near-expiry.yml",
    "SEL-2": "sel-2-one-criterion.yml",
    "SEL-3": "sel-3-dearer-than-a-platform.yml",
    "SEL-4": "sel-4-lead-in-without-offer.yml",
    "SEL-5": "sel-5-four-products.yml",
    "WU-1": "wu-1-audience-beyond-interest.yml",
    "WU-3": "wu-3-open-option.yml",
    "WU-11": "wu-11-referral.yml",
    "GR-3": "gr-3-group-too-big.yml",
    "GR-5": "gr-5-too-few-helpers.yml",
    "GR-8": "gr-8-window-too-short.yml",
    "GR-9": "gr-9-no-payment.yml",
    "GR-11": "gr-11-stock-too-large.yml",
    "GR-12": "gr-12-sale-too-long.yml",
    "GR-14": "gr-14-tier-out-of-reach.yml",
    "END-1": "end-1-extension.yml",
    "END-3": "end-3-two-wrapup-actions.yml",
    "AD-1": "ad-1-absolute-claim.yml",
    "AD-2": "ad-2-own-price.yml",
    "AD-3": "ad-3-share-reward.yml",
    "AD-4": "ad-4-health-claim.yml",
    "TIME-2": "time-2-night-sale.yml",
    "CHK-1": "chk-1-unknown-ignored-code.yml",
}
NEEDS_NOW = {"TIME-1", "WU-2", "WU-9"}  # clean.yml with a `now`: see the tests above


def test_every_check_code_has_a_fixture_or_a_now_test() -> None:
    assert set(FIXTURE_OF) | NEEDS_NOW == set(known_codes())
    assert {c.code for c in REGISTRY if c.needs_now} == NEEDS_NOW


@pytest.mark.parametrize("code", sorted(FIXTURE_OF), ids=str)
def test_each_fixture_is_silenced_by_ignoring_its_code(code: str) -> None:
    loaded = campaign(FIXTURE_OF[code])
    assert [f.code for f in lint(loaded)] == [code]
    assert lint(loaded, ignore=[code]) == []


def test_every_rule_of_the_method_and_every_check_has_words_in_both_languages() -> None:
    zh, en = load_catalog("zh"), load_catalog("en")
    assert list(zh.rules) == list(en.rules)
    assert set(METHOD_RULES) | set(known_codes()) == set(zh.rules)
    for catalog in (zh, en):
        with_check_text = {code for code, rule in catalog.rules.items() if rule.check}
        assert with_check_text == set(known_codes()), catalog.language


def test_rules_marked_check_in_rules_md_have_a_check() -> None:
    # RULES.md "Where it lands" says check for these; GR-8 and the TIME/CHK codes are the tool's additions.
    marked = {"SEL-1", "SEL-2", "SEL-3", "SEL-4", "SEL-5", "WU-1", "WU-3", "WU-11", "GR-3", "GR-5", "GR-11", "GR-12", "GR-14", "END-1"}
    marked |= {"END-3"}
    assert marked <= set(known_codes())


def test_severities_by_code_lists_every_severity_a_code_reports() -> None:
    severities = severities_by_code()
    assert severities["SEL-3"] == (ERROR, INFO)
    assert severities["GR-5"] == (WARNING,)


def test_findings_come_in_file_order(write_campaign) -> None:
    text = (FIXTURES / "clean.yml").read_text(encoding="utf-8")
    text = (
        text.replace("duration: 30m", "duration: 1h")
        .replace("helpers: 6", "helpers: 2")
        .replace("wrapup: sorting", "wrapup: [member_card, sorting]")
    )
    findings = lint(load_campaign(write_campaign(text)))
    assert [f.code for f in findings] == ["GR-12", "GR-5", "END-3"]
    assert findings == sorted(findings, key=lambda f: (f.location.line, f.location.column))


def test_docs_checks_md_lists_every_code_with_its_severity() -> None:
    docs = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([A-Z]+-\d+)` \| (error|warning|info) \|", docs, flags=re.MULTILINE))
    assert rows == {(c.code, c.severity) for c in REGISTRY}
