"""What a copy template may use: plain values the code has computed (savings, discounts, dates, counts).

Templates hold the words and decide nothing a test would need to check; every number they print comes from here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .events import Event, Schedule
from .model import Campaign, Product


@dataclass(frozen=True)
class PriceComparison:
    platform: str | None  # None: the market price
    price: Decimal
    saving: Decimal


@dataclass(frozen=True)
class ProductView:
    number: int  # 1-based
    name: str
    price: Decimal
    stock: int
    unit: str
    market_price: Decimal | None
    saving: Decimal | None  # against the market price
    discount: str | None  # zh 折 (5折, 4.9折) or en percent off, computed once here
    comparisons: tuple[PriceComparison, ...]  # every reference price with the saving against it (SEL-3)
    best_saving: Decimal | None
    selling_points: tuple[str, ...]
    reviews: tuple[str, ...]
    worry_question: str | None
    worry_answer: str | None
    linked_offer: str | None
    half_left: int
    low_left: int


def product_view(product: Product, number: int, language: str) -> ProductView:
    comparisons = tuple(PriceComparison(name, ref, ref - product.price) for name, ref in product.reference_prices if ref > product.price)
    saving = product.market_price - product.price if product.market_price and product.market_price > product.price else None
    discount = None
    if product.market_price and product.market_price > product.price:
        ratio = product.price / product.market_price
        if language == "zh":
            tenths = (ratio * 10).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            discount = f"{tenths.normalize():f}折"
        else:
            discount = f"{((1 - ratio) * 100).quantize(Decimal('1'), rounding=ROUND_HALF_UP)}% off"
    from .schedule import LOW_STOCK

    return ProductView(
        number=number,
        name=product.name,
        price=product.price,
        stock=product.stock,
        unit=product.unit or ("份" if language == "zh" else "units"),
        market_price=product.market_price,
        saving=saving,
        discount=discount,
        comparisons=comparisons,
        best_saving=max((c.saving for c in comparisons), default=None),
        selling_points=product.selling_points,
        reviews=product.reviews,
        worry_question=product.worry.question if product.worry else None,
        worry_answer=product.worry.answer if product.worry else None,
        linked_offer=product.linked_offer,
        half_left=product.stock - product.stock // 2,
        low_left=min(LOW_STOCK, product.stock // 5),
    )


def variant_seed(campaign: Campaign) -> int:
    """A stable number per campaign, so repeated campaigns vary their wording but one file always gives one plan."""
    key = f"{campaign.name}|{campaign.brand}|{campaign.start.isoformat()}".encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:4], "big")


def campaign_context(campaign: Campaign, schedule: Schedule) -> dict[str, Any]:
    c = campaign
    products = [product_view(p, i + 1, c.language) for i, p in enumerate(c.products)]
    red = c.red_envelopes
    return {
        "name": c.name,
        "brand": c.brand,
        "benefit": c.benefit,
        "language": c.language,
        "category": c.category,  # picks the WU-5 polishing stories
        "voice": c.voice,  # how the host addresses the group (家人们, 姐妹们, folks ...)
        "currency": c.currency,
        "liker_gift": c.liker_gift,
        "start": c.start,
        "end": c.sale_end,
        "duration_minutes": int(c.duration.total_seconds() // 60),
        "variant": schedule.variant,
        "groups": list(schedule.groups),
        "group_count": len(schedule.groups),
        "group_size": c.group.size,
        "helpers": c.group.helpers,
        "products": products,
        "product_count": len(products),
        "total_stock": c.total_stock,
        "tiers": [{"number": i + 1, "at": t.at, "gift": t.gift} for i, t in enumerate(c.tiers)],
        "survey": {"question": c.survey.question, "options": list(c.survey.options), "winner": c.survey.winner},
        "red_envelopes": {
            "count": red.count,
            "amount": red.amount,
            "recipients": red.recipients,
            "budget_per_group": red.budget,
            "budget_total": red.budget * len(schedule.groups),
        },
        "wrapup": c.wrapup_action,
        "channels": list(c.channels),
        "seed": variant_seed(c),
        "reviews_after_days": c.reviews_after_days,
        # END-4: real figures when the file has them; None leaves a blank (____) for the operator to fill
        "results": {
            "orders": c.results.orders if c.results else None,
            "minutes": c.results.minutes if c.results and c.results.minutes else None,
            "sold": list(c.results.sold) if c.results and c.results.sold else [None] * len(products),
        },
    }


def event_context(event: Event, local: datetime | None, campaign_ctx: dict[str, Any]) -> dict[str, Any]:
    products = campaign_ctx["products"]
    trigger = event.trigger
    tier = campaign_ctx["tiers"][event.details["tier"]] if "tier" in event.details else None  # type: ignore[index]
    return {
        "kind": event.kind,
        "at": local,
        "step": event.step,
        "of": event.of,
        "is_last": event.step == event.of,
        "minutes_before": event.details.get("minutes_before"),
        "minutes_left": event.details.get("minutes_left"),
        "product": products[event.product] if event.product is not None else None,
        "next_product": products[event.product + 1] if event.product is not None and event.product + 1 < len(products) else None,
        "trigger": {"kind": trigger.kind, "left": trigger.amount} if trigger else None,
        "tier": tier,
        "next_tier": campaign_ctx["tiers"][tier["number"]] if tier and tier["number"] < len(campaign_ctx["tiers"]) else None,
        "action": event.details.get("action"),
        "stage": event.details.get("stage"),
        "channel": event.channel,
        "pick": (campaign_ctx["seed"] + event.step) % 997,  # which wording variant (WU-5 polishing, announcements)
    }
