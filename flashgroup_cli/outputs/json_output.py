"""The timeline JSON contract (docs/timeline-json.md): other tools and the acceptance check read this."""

from __future__ import annotations

import json
from typing import Any

from ..document import Document
from ..formatting import number

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
    if doc.sheet:
        payload["sheet"] = doc.sheet  # the operator's sheet, Markdown
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
