"""The operator's sheet as data: who does what (roles and their cues), what to prepare, the gift budget and stock,
the rules of the run, and what the file still lacks.

Only facts, numbers and assignments are decided here, each line with its rule IDs; `templates/sheet.<lang>.j2`
words every line (render.py fills each line's `text` from the template's macros), and the JSON of `plan` carries
both (docs/timeline-json.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from .events import Schedule
from .helper_roster import CUE_RULES, helper_cues
from .model import DEFAULT_UNPAID_MINUTES as UNPAID_MINUTES
from .model import Campaign
from .records import field, record, replace

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any

TESTER_ENVELOPES = 10  # END-3 (b): the tester is picked by the largest of about 10 red envelopes, in each group
INVITE_LIMITS = (40, 100)  # WeChat: above 40 members the invitee must accept; above 100 they must be real-name verified


@record
class SheetCue:
    """One thing a role does: at a time (`at`), on a trigger (`at` None, `event` a trigger cue), or all along."""

    kind: str  # see ROLE_CUES in docs/timeline-json.md
    rules: tuple[str, ...]
    at: datetime | None = None  # local time in the campaign's zone
    event: int | None = None  # index into schedule.events of the action it goes with
    product: Any = None  # a copy_context.ProductView
    tier: dict[str, Any] | None = None  # {"number", "at", "gift"}
    amounts: tuple[int, ...] = ()  # call_stock: the units left at which the stock updates go out (0: sold out)
    text: str = ""  # filled by the template


@record
class Role:
    """A person (or one per group) and their cues. Helpers are numbered 1..n within each group."""

    role: str  # host | counter | helper
    number: int | None  # helpers only
    scope: str  # "group": one in every group; "all": one person for all groups
    people: int  # how many people hold this role over all groups
    cues: tuple[SheetCue, ...]
    label: str = ""  # 群主, 统计, 水军3 (from the template)

    @property
    def rules(self) -> tuple[str, ...]:
        """The rule IDs of all its cues, each once, in order."""
        return tuple(dict.fromkeys(rule for cue in self.cues for rule in cue.rules))


@record
class SheetLine:
    """A line of the people, materials or rules section, or a missing key: its kind, rule IDs and the values it states."""

    kind: str
    rules: tuple[str, ...]
    values: dict[str, Any] = field(default_factory=dict)
    text: str = ""


@record
class BudgetLine:
    """A row of the gift budget and stock table: what to prepare, for whom, how many, and the money when known."""

    kind: str  # red_envelopes | liker_gift | tier_gift | tester_envelopes | tester_product | questionnaire_gift
    rules: tuple[str, ...]
    gift: str | None = None  # the file's words for the gift (none for envelopes)
    per_group: int | None = None  # how many in each group, when that is fixed
    count: int | None = None  # how many to prepare over all groups (an upper bound for per-order and per-person gifts)
    basis: str = ""  # what `count` is counted from: envelopes | people | members | stock | orders | groups
    unit_amount: Decimal | None = None  # money per item, when the file gives it
    amount: Decimal | None = None  # money over all groups
    condition: int | None = None  # tier gifts: the total units across all groups that unlock it
    text: str = ""


@record
class Sheet:
    groups: tuple[str, ...]
    group_size: int
    audience: int | None
    helpers_per_group: int
    helpers_total: int
    invite_at: datetime | None
    start: datetime
    end: datetime
    missing: tuple[SheetLine, ...]
    people: tuple[SheetLine, ...]
    roles: tuple[Role, ...]
    materials: tuple[SheetLine, ...]
    budget: tuple[BudgetLine, ...]
    rules: tuple[SheetLine, ...]
    unpaid_minutes: int = UNPAID_MINUTES
    fulfilment: str = "delivery"  # delivery | pickup | local_delivery
    text: str = ""  # the whole sheet as Markdown (from the template)

    def helper_roles(self) -> list[Role]:
        return [r for r in self.roles if r.role == "helper"]


def build_sheet(campaign: Campaign, schedule: Schedule, context: dict[str, Any]) -> Sheet:
    c = campaign
    zone = c.zone
    products = context["products"]
    tiers = context["tiers"]
    groups = tuple(schedule.groups)
    n_groups = len(groups)

    def local(kind: str) -> datetime | None:
        for e in schedule.events:
            if e.kind == kind and e.at:
                return e.at.astimezone(zone)
        return None

    invite_at = local("group.invite")
    people_in_all = min(c.audience, c.group.size * n_groups) if c.audience else c.group.size * n_groups
    members = people_in_all  # everyone in the groups: who can fill in a questionnaire
    if c.interested:
        people_in_all = min(people_in_all, c.interested)

    # -- what the file lacks for the sheet to be complete ------------------------------------------------------------
    missing: list[SheetLine] = []
    payment = c.payment
    if payment is None:
        missing.append(SheetLine("payment", ("GR-9",), {"key": "payment", "unpaid_minutes": UNPAID_MINUTES}))
    details = c.wrapup_details
    if c.wrapup_action == "questionnaire" and not details.gift:  # END-3 (a): a questionnaire with a small reward
        missing.append(SheetLine("questionnaire_gift", ("END-3",), {"key": "wrapup.gift"}))

    # -- groups and people -------------------------------------------------------------------------------------------
    people = [
        SheetLine("groups", ("GR-3", "GR-4"), {"groups": list(groups), "group_size": c.group.size, "audience": c.audience}),
        SheetLine("interested_only", ("WU-1", "GR-1"), {"invite_at": invite_at}),
    ]
    if c.channels:
        people.append(SheetLine("channels", ("WU-10",), {"channels": list(c.channels)}))
    people.append(SheetLine("no_referral", ("WU-11",)))
    limits = [n for n in INVITE_LIMITS if c.group.size > n]
    if limits:
        seed_by = c.start - timedelta(days=1)  # a day early: the first 40 join without accepting anything
        values = {"limits": limits, "group_size": c.group.size, "invite_at": invite_at, "seed_by": seed_by}
        people.append(SheetLine("invite_limits", ("GR-1", "GR-3"), values))
    people.append(
        SheetLine(
            "headcount",
            ("GR-5", "GR-13"),
            {"groups": n_groups, "helpers_per_group": c.group.helpers, "helpers_total": c.group.helpers * n_groups, "counters": 1},
        )
    )

    # -- roles -------------------------------------------------------------------------------------------------------
    host_cues = [
        SheetCue("host_posts", ("GR-2", "GR-7", "GR-8")),
        SheetCue("remove_ads", ("WU-1",)),
        SheetCue("release_unpaid", ("GR-9",)),
        SheetCue(_fulfilment_cue(c), ("END-5",)),
    ]
    if payment is not None:  # the answer to the helper's "where do I pay?" (GR-7, GR-9)
        host_cues.insert(1, SheetCue("answer_payment", ("GR-7", "GR-9")))
    counter_cues: list[SheetCue] = [SheetCue("count_orders", ("GR-13", "GR-14"), at=c.start)]
    stock_calls: dict[int, list[int]] = {}
    for event in schedule.events:
        if event.kind == "group.stock_update" and event.trigger and event.product is not None:
            stock_calls.setdefault(event.product, []).append(event.trigger.amount)
    for product, amounts in stock_calls.items():
        counter_cues.append(SheetCue("call_stock", ("GR-13",), product=products[product], amounts=tuple(amounts)))
    for index, event in enumerate(schedule.events):
        if event.kind == "group.tier_reached":
            counter_cues.append(SheetCue("call_tier", ("GR-14",), event=index, tier=tiers[int(event.details["tier"])]))  # type: ignore[call-overload]
    counter_cues.append(SheetCue("call_sold_out_all", ("END-1",)))

    helper_lists: dict[int, list[SheetCue]] = {n: [] for n in range(1, c.group.helpers + 1)}
    for cue in helper_cues(c, schedule):
        at = schedule.events[cue.event].at
        helper_lists[cue.helper].append(
            SheetCue(
                cue.cue,
                CUE_RULES[cue.cue],
                at=at.astimezone(zone) if at else None,
                event=cue.event,
                product=products[cue.product] if cue.product is not None else None,
                tier=tiers[cue.tier] if cue.tier is not None else None,
            )
        )
    for cues in helper_lists.values():
        if not cues:  # more helpers than cues: each still knows what to do (GR-9, GR-10)
            cues.append(SheetCue("general", ("GR-9", "GR-10")))

    roles = [
        Role("host", None, "group", n_groups, tuple(host_cues)),
        Role("counter", None, "all", 1, tuple(counter_cues)),
    ] + [Role("helper", number, "group", n_groups, tuple(cues)) for number, cues in helper_lists.items()]

    # -- materials ---------------------------------------------------------------------------------------------------
    materials = [SheetLine("product", ("GR-8", "SEL-3"), {"product": p, "payment_link": payment is None}) for p in products]
    materials.append(SheetLine("group_kit", ("GR-1", "GR-9"), {"groups": n_groups}))
    if payment is not None:
        materials.append(SheetLine("payment_setup", ("GR-9",), {"method": payment.method, "note": payment.note}))
    if c.wrapup_action == "questionnaire":
        materials.append(SheetLine("questionnaire", ("END-3",), {"link": details.link, "gift": details.gift}))
    elif c.wrapup_action == "tester":
        materials.append(
            SheetLine("tester", ("END-3",), {"envelopes": TESTER_ENVELOPES, "product": details.product, "claim": details.claim})
        )
    materials.append(SheetLine("shelf_life", ("SEL-1",)))

    # -- gift budget and stock ---------------------------------------------------------------------------------------
    red = c.red_envelopes
    if c.giveaway:  # GR-6 where WeChat red packets cannot be used: the file's giveaway, in every group
        budget = [BudgetLine("giveaway", ("GR-6",), gift=c.giveaway, basis="groups")]
    else:
        budget = [
            BudgetLine(
                "red_envelopes",
                ("GR-6",),
                per_group=red.count,
                count=red.count * n_groups,
                basis="envelopes",
                unit_amount=red.amount,
                amount=red.budget * n_groups,
            )
        ]
    if c.liker_gift:  # WU-6: one for every liker who orders; no more than the people in the groups or the units on sale
        budget.append(BudgetLine("liker_gift", ("WU-6",), gift=c.liker_gift, count=min(people_in_all, c.total_stock), basis="people"))
    orders = c.results.orders if c.results and c.results.orders else None
    for tier in tiers:  # GR-14: every order once the total across all groups reaches the tier; at most one order per unit
        basis, count = ("orders", orders) if orders else ("stock", c.total_stock)
        budget.append(BudgetLine("tier_gift", ("GR-14",), gift=tier["gift"], count=count, basis=basis, condition=tier["at"]))
    if c.wrapup_action == "questionnaire" and details.gift:  # END-3 (a): one for everyone who fills it in
        budget.append(BudgetLine("questionnaire_gift", ("END-3",), gift=details.gift, count=members, basis="members"))
    if c.wrapup_action == "tester":
        if details.product:  # END-3 (b): the new product for the one tester of each group
            budget.append(BudgetLine("tester_product", ("END-3",), gift=details.product, per_group=1, count=n_groups, basis="groups"))
        budget.append(
            BudgetLine("tester_envelopes", ("END-3",), per_group=TESTER_ENVELOPES, count=TESTER_ENVELOPES * n_groups, basis="envelopes")
        )

    # -- rules of the run --------------------------------------------------------------------------------------------
    rules = [
        SheetLine("host_per_group", ("GR-2", "GR-8"), {"groups": n_groups}),
        SheetLine("one_counter", ("GR-13", "GR-14"), {"groups": n_groups, "tiers": len(tiers)}),
        SheetLine(
            "unpaid_chain",
            ("GR-9",),
            {"unpaid_minutes": payment.unpaid_minutes if payment else UNPAID_MINUTES, "from_file": payment is not None},
        ),
        SheetLine(_fulfilment_cue(c), ("END-5",), _fulfilment_values(c)),
        SheetLine("ad_posters", ("WU-1",)),
        SheetLine("hard_end", ("END-1",), {"end": c.sale_end}),
        SheetLine("one_wrapup", ("END-2", "END-3"), {"wrapup": c.wrapup_action}),
    ]

    return Sheet(
        groups=groups,
        group_size=c.group.size,
        audience=c.audience,
        helpers_per_group=c.group.helpers,
        helpers_total=c.group.helpers * n_groups,
        invite_at=invite_at,
        start=c.start,
        end=c.sale_end,
        missing=tuple(missing),
        people=tuple(people),
        roles=tuple(roles),
        materials=tuple(materials),
        budget=tuple(budget),
        rules=tuple(rules),
        unpaid_minutes=payment.unpaid_minutes if payment else UNPAID_MINUTES,
        fulfilment=c.fulfilment.kind,
    )


def _fulfilment_cue(campaign: Campaign) -> str:
    """How buyers get their order decides what the host collects: addresses to ship, a pick-up list, delivery addresses."""
    return {"delivery": "collect_addresses", "pickup": "pickup_list", "local_delivery": "local_addresses"}[campaign.fulfilment.kind]


def _fulfilment_values(campaign: Campaign) -> dict[str, Any]:
    f = campaign.fulfilment
    if f.kind == "pickup":
        from .schedule import pickup_opens

        opens = pickup_opens(campaign)  # the first such time after the sale ends
        return {"where": f.where, "opens": opens.astimezone(campaign.zone) if opens else None}
    if f.kind == "local_delivery":
        return {"area": f.area, "when": f.when}
    return {}


def with_texts(sheet: Sheet, words: Any) -> Sheet:
    """The sheet with every line's `text` (and every role's `label`) filled from the template's macros (`words`)."""

    def lines(items: tuple[Any, ...], macro: str) -> tuple[Any, ...]:
        return tuple(replace(item, text=_tidy_line(getattr(words, macro)(item))) for item in items)

    roles = tuple(
        replace(
            role,
            label=_tidy_line(words.role_name(role)),
            cues=tuple(replace(cue, text=_tidy_line(words.cue(cue, role))) for cue in role.cues),
        )
        for role in sheet.roles
    )
    return replace(
        sheet,
        missing=lines(sheet.missing, "line"),
        people=lines(sheet.people, "line"),
        roles=roles,
        materials=lines(sheet.materials, "line"),
        budget=lines(sheet.budget, "budget_row"),
        rules=lines(sheet.rules, "line"),
    )


def _tidy_line(text: Any) -> str:
    return str(text).strip()
