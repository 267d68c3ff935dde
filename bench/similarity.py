"""How alike do two campaigns of different sellers read? The share of identical customer-facing lines (issue 10).

Usage: python bench/similarity.py [--lang zh|en|both] [--pairs]   (from the repository root, flashgroup installed)

Plans five campaigns of different categories (a bakery, a beauty brand, a tea shop, a fresh-food retailer, a household
goods shop; each in Chinese and in English), standard script. Every customer-facing line (the copy of every event; not
the operator's notes or sheet) has each value the file supplies replaced by a placeholder: names, brand, products and
their short names, selling points, reviews, worries, gifts, benefit, survey, the voice, platform names, units, places,
and every run of digits. Lines left with no word of ours (only values, numbers and punctuation, such as "1. ‹V›") are not
counted. Then for each pair of campaigns of different categories:

    identical share = 2 × |lines of A ∩ lines of B| / (|lines of A| + |lines of B|)     (multiset intersection)

and prints each pair, the mean and the highest. The goal of issue 10 is a highest share at or under 40% (before it:
84–96%). Not a test: it measures wording, and the figure goes in the README.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMON = {"timezone": "Asia/Shanghai", "duration": "30m", "audience": 240, "group": {"size": 120, "helpers": 6}}

CAMPAIGNS: dict[str, dict[str, Any]] = {
    "zh": {
        "bakery": {
            "name": "麦香小馆周末面包快闪",
            "brand": "麦香小馆",
            "category": "bakery",
            "voice": "邻居们",
            "start": "2026-12-12 19:30",
            "products": [
                {
                    "name": "老面吐司 450g",
                    "price": 12.9,
                    "market_price": 19.9,
                    "stock": 200,
                    "unit": "条",
                    "criteria": ["low_price", "proven_demand"],
                    "selling_points": ["老面发酵一整夜，撕开是一层层的拉丝"],
                    "reviews": ["孩子早餐就认这个"],
                },
                {
                    "name": "海盐黄油可颂 4只装",
                    "price": 19.9,
                    "market_price": 32,
                    "stock": 150,
                    "unit": "盒",
                    "criteria": ["high_value", "broad_appeal"],
                },
            ],
            "tiers": [{"at": 150, "gift": "每单加送一块肉桂卷"}],
            "survey": {"question": "周末早餐，你最想要哪一样？", "options": ["吐司", "可颂", "贝果"]},
            "liker_gift": "一块手工曲奇",
            "fulfilment": {"pickup": {"where": "麦香小馆门店", "from": "09:00"}},
            "payment": {"method": "群收款"},
        },
        "beauty": {
            "name": "青屿护肤年终快闪",
            "brand": "青屿",
            "category": "beauty",
            "voice": "姐妹们",
            "start": "2026-12-13 20:00",
            "products": [
                {
                    "name": "玻尿酸保湿精华 30ml",
                    "price": 89,
                    "market_price": 159,
                    "platform_prices": {"天猫": 139},
                    "stock": 300,
                    "unit": "瓶",
                    "criteria": ["high_value", "proven_demand"],
                    "selling_points": ["质地清爽，上脸很快吸收"],
                    "reviews": ["冬天用也不紧绷"],
                },
            ],
            "tiers": [{"at": 150, "gift": "每单加赠旅行装面霜"}],
            "survey": {"question": "年终福利，你最想要哪一款？", "options": ["保湿精华", "修护面霜"]},
            "liker_gift": "一片补水面膜",
        },
        "tea": {
            "name": "山南茶舍新茶快闪",
            "brand": "山南茶舍",
            "category": "tea",
            "voice": "茶友们",
            "start": "2026-12-14 20:00",
            "products": [
                {
                    "name": "明前龙井 100g",
                    "price": 128,
                    "market_price": 198,
                    "stock": 200,
                    "unit": "罐",
                    "criteria": ["high_value", "proven_demand"],
                    "selling_points": ["豆香清透，第三泡还有回甘"],
                },
                {
                    "name": "正山小种 150g",
                    "price": 69,
                    "market_price": 99,
                    "stock": 200,
                    "unit": "罐",
                    "criteria": ["low_price", "broad_appeal"],
                },
            ],
            "survey": {"question": "这次快闪，你最想喝哪一款？", "options": ["龙井", "小种", "白茶"]},
            "liker_gift": "一小包试饮装",
        },
        "fresh": {
            "name": "社区生鲜周末快闪",
            "brand": "邻里优选",
            "category": "fresh",
            "voice": "家人们",
            "start": "2026-12-19 19:30",
            "products": [
                {
                    "name": "烟台红富士 10斤",
                    "price": 29.9,
                    "market_price": 49.9,
                    "stock": 300,
                    "unit": "箱",
                    "criteria": ["low_price", "proven_demand"],
                    "selling_points": ["脆甜多汁，80果起步"],
                    "reviews": ["一周就吃完了，又来了"],
                },
                {
                    "name": "原切牛腩 2斤",
                    "price": 59,
                    "market_price": 89,
                    "stock": 200,
                    "unit": "份",
                    "criteria": ["high_value", "proven_demand"],
                },
            ],
            "tiers": [{"at": 150, "gift": "每单加赠葱姜蒜一份"}],
            "survey": {"question": "周末快闪，你最想抢哪一样？", "options": ["水果", "牛肉", "鸡蛋"]},
            "liker_gift": "一把小葱",
            "fulfilment": {"local_delivery": {"area": "南山区", "when": "当晚8点前"}},
            "payment": {"method": "小程序", "note": "点群公告里的小程序付款"},
        },
        "household": {
            "name": "居家好物年末快闪",
            "brand": "简屋日用",
            "category": "household",
            "voice": "宝子们",
            "start": "2026-12-20 20:00",
            "products": [
                {
                    "name": "加厚竹纤维抹布 10条",
                    "price": 15.9,
                    "market_price": 29.9,
                    "stock": 300,
                    "unit": "包",
                    "criteria": ["low_price", "broad_appeal"],
                    "selling_points": ["吸水快，不掉毛"],
                },
                {
                    "name": "厨房去油清洁剂 2瓶",
                    "price": 25.9,
                    "market_price": 39.9,
                    "stock": 200,
                    "unit": "组",
                    "criteria": ["high_value", "proven_demand"],
                },
            ],
            "survey": {"question": "年末大扫除，你最想要哪一样？", "options": ["抹布", "清洁剂"]},
        },
    },
    "en": {
        "bakery": {
            "name": "Corner Bakery Weekend Sale",
            "brand": "Corner Bakery",
            "category": "bakery",
            "voice": "neighbours",
            "start": "2026-12-12 19:30",
            "products": [
                {
                    "name": "Sourdough loaf",
                    "price": 6.5,
                    "market_price": 9,
                    "stock": 200,
                    "unit": "loaf",
                    "criteria": ["low_price", "proven_demand"],
                    "selling_points": ["A crackling crust and an open crumb"],
                    "reviews": ["Our Sunday breakfast now"],
                },
                {
                    "name": "Butter croissants, box of 4",
                    "price": 9,
                    "market_price": 14,
                    "stock": 150,
                    "unit": "box",
                    "criteria": ["high_value", "broad_appeal"],
                },
            ],
            "tiers": [{"at": 150, "gift": "a cinnamon roll with every order"}],
            "survey": {"question": "Which one do you want for the weekend?", "options": ["Sourdough", "Croissants", "Bagels"]},
            "liker_gift": "a cookie",
            "fulfilment": {"pickup": {"where": "the bakery on Elm Street", "from": "09:00"}},
            "payment": {"method": "Venmo"},
        },
        "beauty": {
            "name": "Isle Skincare Year-end Sale",
            "brand": "Isle Skincare",
            "category": "beauty",
            "voice": "lovelies",
            "start": "2026-12-13 20:00",
            "products": [
                {
                    "name": "Hydrating serum, 30 ml",
                    "price": 29,
                    "market_price": 45,
                    "stock": 300,
                    "unit": "bottle",
                    "criteria": ["high_value", "proven_demand"],
                    "selling_points": ["Light, sinks in within a minute"],
                    "reviews": ["No tightness even in winter"],
                },
            ],
            "tiers": [{"at": 150, "gift": "a travel-size cream with every order"}],
            "survey": {"question": "Which one do you want?", "options": ["Serum", "Night cream"]},
            "liker_gift": "a sheet mask",
        },
        "tea": {
            "name": "South Hill Tea New Harvest Sale",
            "brand": "South Hill Tea",
            "category": "tea",
            "voice": "tea friends",
            "start": "2026-12-14 20:00",
            "products": [
                {
                    "name": "Spring Longjing, 100 g",
                    "price": 32,
                    "market_price": 48,
                    "stock": 200,
                    "unit": "tin",
                    "criteria": ["high_value", "proven_demand"],
                    "selling_points": ["Nutty and clear, still sweet on the third steep"],
                },
                {
                    "name": "Lapsang souchong, 150 g",
                    "price": 18,
                    "market_price": 26,
                    "stock": 200,
                    "unit": "tin",
                    "criteria": ["low_price", "broad_appeal"],
                },
            ],
            "survey": {"question": "Which tea do you want?", "options": ["Longjing", "Lapsang", "White tea"]},
            "liker_gift": "a sample pack",
        },
        "fresh": {
            "name": "Orchard Weekend Flash Sale",
            "brand": "Hudson Valley Orchard",
            "category": "fresh",
            "voice": "folks",
            "start": "2026-12-19 19:30",
            "products": [
                {
                    "name": "Honeycrisp apples, 10 lb box",
                    "price": 19.5,
                    "market_price": 32,
                    "stock": 300,
                    "unit": "box",
                    "criteria": ["low_price", "proven_demand"],
                    "selling_points": ["Still crisp in a lunch box at noon"],
                    "reviews": ["The kids ate half the box in two days"],
                },
                {
                    "name": "Apple cider, 6 bottles",
                    "price": 14,
                    "market_price": 21,
                    "stock": 200,
                    "unit": "pack",
                    "criteria": ["high_value", "broad_appeal"],
                },
            ],
            "tiers": [{"at": 150, "gift": "a jar of apple butter with every order"}],
            "survey": {"question": "Which one do you want?", "options": ["Apples", "Pears", "Cider"]},
            "liker_gift": "a bag of apple chips",
            "fulfilment": {"local_delivery": {"area": "Kingston", "when": "by 8 pm the next day"}},
            "payment": {"method": "Zelle"},
        },
        "household": {
            "name": "Tidy Home Year-end Sale",
            "brand": "Tidy Home",
            "category": "household",
            "voice": "friends",
            "start": "2026-12-20 20:00",
            "products": [
                {
                    "name": "Bamboo cleaning cloths, pack of 10",
                    "price": 8,
                    "market_price": 14,
                    "stock": 300,
                    "unit": "pack",
                    "criteria": ["low_price", "broad_appeal"],
                    "selling_points": ["Soaks up a spill in one wipe"],
                },
                {
                    "name": "Kitchen degreaser, 2 bottles",
                    "price": 11,
                    "market_price": 17,
                    "stock": 200,
                    "unit": "set",
                    "criteria": ["high_value", "proven_demand"],
                },
            ],
            "survey": {"question": "Which one do you want for the big clean?", "options": ["Cloths", "Degreaser"]},
        },
    },
}


def campaign_text(language: str, data: dict[str, Any]) -> str:
    """The campaign as a file, keeping only the keys this version of flashgroup knows (so the script also measures
    the version before `category` and `voice` existed)."""
    from flashgroup_cli.campaign_file import TOP_KEYS

    full = {**COMMON, **data, "language": language}
    if language == "en":
        full |= {"timezone": "America/New_York", "currency": "$", "giveaway": "a $5 coupon for 12 quick members"}
    return yaml.safe_dump({k: v for k, v in full.items() if k in TOP_KEYS}, allow_unicode=True, sort_keys=False)


def file_values(data: dict[str, Any]) -> list[str]:
    """Every text the file supplies, longest first (so a product name goes before its short name)."""
    values: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("category", "language", "timezone", "criteria", "duration", "start"):
                    continue
                if key == "platform_prices":
                    values.extend(str(k) for k in item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            values.append(value)
            # the short name without the pack size ("老面吐司 450g" -> 老面吐司, "Sourdough loaf, 2 lb" -> Sourdough loaf)
            values.append(re.split(r"\s+[\d.]|,\s", value)[0])
            if " " not in value:  # a unit: its plurals too
                values.extend((value + "s", value + "es"))

    walk(data)
    return sorted({v for v in values if v and v.strip()}, key=len, reverse=True)


# A line with no word of ours (only values, numbers and punctuation: "1. ‹V›", "1.", "‹V›") says nothing about how the
# copy is worded, so it is not counted.
OUR_WORDS = re.compile(r"[A-Za-z\u4e00-\u9fff]")


def customer_lines(language: str, data: dict[str, Any], all_lines: bool = False) -> list[str]:
    from flashgroup_cli.campaign_file import parse_campaign
    from flashgroup_cli.pipeline import campaign_document

    campaign = parse_campaign(campaign_text(language, data), f"{data['category']}.yml")
    document = campaign_document(campaign, plan=True)
    values = file_values(data) + [campaign.brand, campaign.name]
    lines = []
    for row in document.rows:
        for line in row.text.splitlines():
            for value in values:
                line = line.replace(value, "‹V›")
            line = re.sub(r"\d+", "#", line)
            line = " ".join(line.split())
            if line and (all_lines or OUR_WORDS.search(line.replace("‹V›", ""))):
                lines.append(line)
    return lines


def identical_share(a: list[str], b: list[str]) -> float:
    common = sum((Counter(a) & Counter(b)).values())
    return 2 * common / (len(a) + len(b))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("zh", "en", "both"), default="both")
    parser.add_argument("--pairs", action="store_true", help="print every pair")
    parser.add_argument("--all-lines", action="store_true", help="count lines with no word of ours too")
    args = parser.parse_args()
    languages = ("zh", "en") if args.lang == "both" else (args.lang,)
    print("| language | campaigns | pairs | mean identical share | highest pair |")
    print("|---|---:|---:|---:|---|")
    for language in languages:
        lines = {category: customer_lines(language, data, args.all_lines) for category, data in CAMPAIGNS[language].items()}
        shares = {(a, b): identical_share(lines[a], lines[b]) for a, b in combinations(sorted(lines), 2)}
        if args.pairs:
            for (a, b), share in sorted(shares.items(), key=lambda kv: -kv[1]):
                print(f"|   {a} × {b} | | | {share:.0%} | |", file=sys.stderr)
        (top_a, top_b), top = max(shares.items(), key=lambda kv: kv[1])
        mean = sum(shares.values()) / len(shares)
        print(f"| {language} | {len(lines)} | {len(shares)} | {mean:.0%} | {top:.0%} ({top_a} × {top_b}) |")


if __name__ == "__main__":
    main()
