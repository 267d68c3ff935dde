"""The timeline JSON contract (docs/timeline-json.md): other tools and the acceptance check read this."""

from __future__ import annotations

import json

from ..document import Document
from ..formatting import number

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any

SCHEMA_VERSION = 1


def campaign_summary(doc: Document) -> dict[str, Any]:
    c = doc.campaign
    return {
        "name": c.name,
        "brand": c.brand,
        "start": c.start.isoformat(),
        "end": c.sale_end.astimezone(c.zone).isoformat(),
        "timezone": c.timezone,
        "duration_minutes": int(c.duration.total_seconds() // 60),
        "language": c.language,
        "variant": doc.schedule.variant,
        "audience": c.audience,
        "groups": list(doc.schedule.groups),
        "products": [
            {
                "name": p.name,
                "price": number(p.price),
                "market_price": number(p.market_price) if p.market_price is not None else None,
                "stock": p.stock,
            }
            for p in c.products
        ],
        "tiers": [{"at": t.at, "gift": t.gift} for t in c.tiers],
    }


def event_record(doc: Document, index: int) -> dict[str, Any]:
    row = doc.rows[index]
    event = row.event
    return {
        "kind": event.kind,
        "channel": event.channel,
        "at": row.local.isoformat() if row.local else None,
        "trigger": row.trigger,
        "rules": list(event.rules),
        "title": row.title,
        "text": row.text,
        "note": row.note,
        "offset": row.offset,
        "actor": "host+helpers" if row.helpers else "host",
        "helpers": list(row.helpers),
        "product": doc.campaign.products[event.product].name if event.product is not None else None,
        "step": event.step,
        "of": event.of,
    }


def render_json(doc: Document) -> str:
    payload = {
        "schema": SCHEMA_VERSION,
        "campaign": campaign_summary(doc),
        "groups": list(doc.schedule.groups),
        "events": [event_record(doc, i) for i in range(len(doc.rows))],
    }
    if doc.sheet_data is not None:
        payload["sheet"] = sheet_record(doc.sheet_data)  # the operator's sheet: data and Markdown
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _plain(value: Any) -> Any:
    """A sheet value as JSON: times in ISO 8601, money as strings, a product by its name, a tier as {at, gift}."""
    from datetime import datetime
    from decimal import Decimal

    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, dict):
        if set(value) == {"number", "at", "gift"}:
            return {"at": value["at"], "gift": value["gift"]}
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if hasattr(value, "worry_question"):  # a copy_context.ProductView
        return value.name
    return value


def sheet_record(sheet: Any) -> dict[str, Any]:
    """The operator's sheet (sheet.Sheet) as documented in docs/timeline-json.md."""

    def line(item: Any) -> dict[str, Any]:
        return {"kind": item.kind, "rules": list(item.rules), "values": _plain(item.values), "text": item.text}

    return {
        "groups": list(sheet.groups),
        "missing": [line(item) for item in sheet.missing],
        "people": [line(item) for item in sheet.people],
        "roles": [
            {
                "role": role.role,
                "number": role.number,
                "label": role.label,
                "scope": role.scope,
                "people": role.people,
                "rules": list(role.rules),
                "cues": [
                    {
                        "kind": cue.kind,
                        "rules": list(cue.rules),
                        "at": _plain(cue.at),
                        "event": cue.event,
                        "product": _plain(cue.product),
                        "tier": _plain(cue.tier),
                        "amounts": list(cue.amounts),
                        "text": cue.text,
                    }
                    for cue in role.cues
                ],
            }
            for role in sheet.roles
        ],
        "materials": [line(item) for item in sheet.materials],
        "budget": [
            {
                "kind": row.kind,
                "rules": list(row.rules),
                "gift": row.gift,
                "per_group": row.per_group,
                "count": row.count,
                "basis": row.basis,
                "unit_amount": _plain(row.unit_amount),
                "amount": _plain(row.amount),
                "condition": row.condition,
                "text": row.text,
            }
            for row in sheet.budget
        ],
        "rules": [line(item) for item in sheet.rules],
        "unpaid_minutes": sheet.unpaid_minutes,
        "fulfilment": sheet.fulfilment,
        "text": sheet.text,
    }
