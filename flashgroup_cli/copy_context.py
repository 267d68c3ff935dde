"""What a copy template may use: plain values the code has computed (savings, discounts, dates, counts).

Templates hold the words and decide nothing a test would need to check; every number they print comes from here.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from .events import Event, Schedule
from .model import Campaign, Product
from .records import record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any


@record
class PriceComparison:
    platform: str | None  # None: the market price
    price: Decimal
    saving: Decimal
    label: str = ""  # the platform, or what the market price is (reference_label; 市场价 / "elsewhere" by default)


@record
class ProductView:
    number: int  # 1-based
    name: str  # the full name (intro, chain, sheet)
    short: str  # the name inside sentences: no pack size
    price: Decimal
    stock: int
    unit: str
    market_price: Decimal | None
    reference_label: str  # what market_price is: 市场价 / "elsewhere" unless the file says (日常价 only when true, SEL-3)
    saving: Decimal | None  # against the market price
    discount: str | None  # zh 折 (5折, 4.9折) or en percent off, computed once here
    comparisons: tuple[PriceComparison, ...]  # every reference price with the saving against it (SEL-3)
    best_saving: Decimal | None  # against the highest reference: said (最多省) only when there are several
    least_saving: Decimal | None  # against the lowest reference: the saving the copy states
    lowest_reference: PriceComparison | None
    selling_points: tuple[str, ...]
    reviews: tuple[str, ...]
    worry_question: str | None
    worry_answer: str | None
    linked_offer: str | None
    half_left: int
    low_left: int


DEFAULT_REFERENCE_LABEL = {"zh": "市场价", "en": "elsewhere"}


def product_view(product: Product, number: int, language: str) -> ProductView:
    label = product.reference_label or DEFAULT_REFERENCE_LABEL.get(language, "elsewhere")
    comparisons = tuple(
        PriceComparison(name, ref, ref - product.price, name or label) for name, ref in product.reference_prices if ref > product.price
    )
    lowest = min(comparisons, key=lambda cmp: cmp.price, default=None)
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
        short=product.sentence_name,
        price=product.price,
        stock=product.stock,
        unit=product.unit or ("份" if language == "zh" else "units"),
        market_price=product.market_price,
        reference_label=label,
        saving=saving,
        discount=discount,
        comparisons=comparisons,
        best_saving=max((c.saving for c in comparisons), default=None),
        least_saving=lowest.saving if lowest else None,
        lowest_reference=lowest,
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
    f = c.fulfilment
    from .schedule import pickup_opens

    opens = pickup_opens(c)
    results = c.results

    def first(kind: str) -> datetime | None:
        moment = next((e.at for e in schedule.events if e.kind == kind and e.at), None)
        return moment.astimezone(c.zone) if moment else None

    winners = [view for view, product in zip(products, c.products) if _answers(c.survey.winner, product)]
    sold = list(results.sold) if results and results.sold else [None] * len(products)
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
        # when the warm-up steps go out, so each post says 明天/今晚 about the next one (item 4)
        "at": {kind.partition(".")[2]: first(kind) for kind in ("moments.survey", "moments.results", "moments.teaser", "group.invite")},
        # WU-4: the products that are the survey's winning option; the rest are "另外加场", never "what you voted for"
        "lineup": {"winners": winners, "others": [view for view in products if view not in winners]},
        "group_names": "、".join(schedule.groups) if c.language == "zh" else ", ".join(schedule.groups),
        # How buyers get their order: chain, close, dissolve, progress and review posts follow it.
        "fulfilment": {
            "kind": f.kind,
            "where": f.where,
            "opens": opens.astimezone(c.zone) if opens else None,
            "area": f.area,
            "when": f.when,
        },
        # GR-9: how buyers pay; None: the copy says the host posts how to pay after the chain
        "payment": {"method": c.payment.method, "note": c.payment.note} if c.payment else None,
        "unpaid_minutes": c.unpaid_minutes,
        # GR-6: red packets in CNY/HKD; a `giveaway` replaces the round elsewhere
        "giveaway": c.giveaway,
        "wrapup_details": {
            "link": c.wrapup_details.link,
            "gift": c.wrapup_details.gift,
            "product": c.wrapup_details.product,
            "claim": c.wrapup_details.claim,
        },
        # END-4: real figures when the file has them; without them the copy states no figure
        "results": {
            "orders": results.orders if results else None,
            "minutes": results.minutes if results and results.minutes else None,
            "sold": sold,
            "units": sum(n for n in sold if n is not None) if results and results.sold else None,
            "reviews": list(results.reviews) if results else [],
        },
    }


def _answers(option: str, product: Product) -> bool:
    """Whether a product is what a survey option names: one name holds the other (脐橙 / 赣南脐橙 5斤装)."""
    option = option.strip().lower()
    names = {product.name.lower(), product.sentence_name.lower()}
    return any(option in name or (len(name) >= 2 and name in option) for name in names)


def event_context(event: Event, local: datetime | None, campaign_ctx: dict[str, Any]) -> dict[str, Any]:
    products = campaign_ctx["products"]
    trigger = event.trigger
    tier = campaign_ctx["tiers"][event.details["tier"]] if "tier" in event.details else None  # type: ignore[index]
    return {
        "kind": event.kind,
        "at": local,
        "published": local or campaign_ctx["start"],  # trigger cues go out during the sale
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
        "on_sale": products[: int(event.details["on_sale"])] if "on_sale" in event.details else [],  # type: ignore[call-overload]
        "minutes_to_end": int((campaign_ctx["end"] - local).total_seconds() // 60) if local else None,
        "channel": event.channel,
        "pick": (campaign_ctx["seed"] + event.step) % 997,  # which wording variant (WU-5 polishing, announcements)
    }
