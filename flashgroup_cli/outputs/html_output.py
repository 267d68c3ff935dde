"""The run page: the whole plan as one self-contained HTML file to run the sale from a phone (issue 11).

One file, opened from WeChat's file transfer or any browser, offline: styles and script inline, no request to any
address (a Content-Security-Policy says so to the browser too), no framework. Every event of the JSON contract
(docs/timeline-json.md) is an element carrying `data-kind`, `data-at` (empty for trigger cues) and its text in a
`data-copy` element, exactly the contract's `text`. The script adds copy buttons, what's next with a countdown
(`?now=` for rehearsal), done marks in local storage, the role and group filters (`?role=水军3`) and the live
figures that say which stock and tier cues are due (GR-13, GR-14) and fill the battle report (END-4).

The page's words are in templates/page/labels.<lang>.yml, its markup in templates/page/page.html.j2 (autoescaped:
campaign text is hostile until proven otherwise), its style and script in page.css and page.js beside it.
"""

from __future__ import annotations

import hashlib
import json
from base64 import b64encode
from datetime import datetime
from functools import cache
from itertools import groupby

from ..document import Document, Row
from ..formatting import number
from ..resources import templates_dir
from .days import script_day_heading, summary_line
from .json_output import campaign_summary, event_record
from .plan_markdown import phase_of
from .roles import Cue, RoleView, page_labels, roles, roles_by_event

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any

ORDERS_SLOT = "\ue000orders\ue001"
UNITS_SLOT = "\ue000units\ue001"  # the units sold over all products (END-4: the total the report states)


def _sold_slot(index: int) -> str:
    return f"\ue000sold{index}\ue001"


@cache
def _page_file(name: str) -> str:
    return (templates_dir() / "page" / name).read_text(encoding="utf-8")


@cache
def _environment() -> Any:
    """One autoescaping environment for the page, kept for the process (a folder of campaigns compiles it once) and
    cached between runs like the copy templates (render._bytecode_cache)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    from ..render import _bytecode_cache

    return Environment(
        loader=FileSystemLoader(str(templates_dir() / "page"), encoding="utf-8"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache("page"),  # its own folder: other options than the copy templates
        auto_reload=False,
    )


def _has_dst(doc: Document) -> bool:
    zone, year = doc.campaign.zone, doc.campaign.start.year
    return datetime(year, 1, 1, tzinfo=zone).utcoffset() != datetime(year, 7, 1, tzinfo=zone).utcoffset()


def _utc_offset(moment: datetime) -> str:
    text = moment.strftime("%z")  # +0800
    return f"{text[:3]}:{text[3:]}".replace("-", "−")


def _event_view(doc: Document, index: int, row: Row, cues: list[tuple[RoleView, Cue]], dst: bool) -> dict[str, Any]:
    event = row.event
    return {
        "index": index,
        "id": f"e{index}",
        "kind": event.kind,
        "at": row.local.isoformat() if row.local else "",
        "clock": row.local.strftime("%H:%M") if row.local else "",
        "utc_offset": _utc_offset(row.local) if row.local and dst else "",
        "offset": row.offset or "",
        "channel": event.channel,
        "channel_label": row.channel,
        "actor": row.actor,
        "helpers": " ".join(str(n) for n in row.helpers),
        "title": row.title,
        "trigger": row.trigger or "",
        "rules": " ".join(event.rules),
        "note": row.note,
        "text": row.text,
        "roles": " ".join(dict.fromkeys(view.key for view, _ in cues)),
        "cues": [{"key": view.key, "label": view.label, "do": cue.do, "say": cue.say} for view, cue in cues],
        "per_group": event.kind.startswith("group."),  # done once in every group (the invites too, whatever their channel)
    }


def _link(doc: Document, index: int) -> dict[str, str]:
    row = doc.rows[index]
    return {"id": f"e{index}", "when": row.local.strftime("%H:%M") if row.local else (row.trigger or "")}


def _phases(doc: Document, cues: dict[int, list[tuple[RoleView, Cue]]]) -> list[dict[str, Any]]:
    p = doc.labels.plan
    dst = _has_dst(doc)
    index_of = {id(row): i for i, row in enumerate(doc.rows)}
    phases = []
    for phase, rows in groupby(doc.timed, key=phase_of):
        days = []
        for day, day_rows in groupby(rows, key=lambda r: r.local.date()):  # type: ignore[union-attr]
            views = [_event_view(doc, index_of[id(r)], r, cues.get(index_of[id(r)], []), dst) for r in day_rows]
            days.append({"heading": script_day_heading(doc, day), "events": views})
        triggered = []
        if phase == "sale":
            triggered = [_event_view(doc, index_of[id(r)], r, cues.get(index_of[id(r)], []), dst) for r in doc.triggered]
        phases.append({"key": phase, "heading": p[phase], "days": days, "triggered": triggered, "triggered_heading": p["triggered"]})
    return phases


def _inline(text: str) -> Any:
    """Escape a line of the sheet, keeping its `code` spans (key names such as `payment`) as <code>."""
    from markupsafe import Markup, escape

    parts = text.split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: not code, just text
        return escape(text)
    return Markup("").join(escape(part) if i % 2 == 0 else Markup("<code>%s</code>") % part for i, part in enumerate(parts))


def _sheet_blocks(sheet: str) -> list[dict[str, Any]]:
    """The operator's sheet (the template's Markdown: ### headings, bullets two levels deep, pipe tables, paragraphs)
    as blocks the page template marks up; every piece of text is escaped."""
    blocks: list[dict[str, Any]] = []
    for line in sheet.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            blocks.append({"type": "heading", "text": _inline(stripped.lstrip("#").strip())})
        elif stripped.startswith("|"):
            cells = [cell.strip() for cell in stripped.strip("|").split("|")]
            if all(set(cell) <= set("-: ") for cell in cells):
                continue  # the |---| line under the header
            if not blocks or blocks[-1]["type"] != "table":
                blocks.append({"type": "table", "head": [_inline(cell) for cell in cells], "rows": []})
            else:
                blocks[-1]["rows"].append([_inline(cell) for cell in cells])
        elif stripped.startswith(("- ", "* ")):
            nested = line.startswith(("  ", "\t"))
            if not blocks or blocks[-1]["type"] != "list":
                blocks.append({"type": "list", "items": []})
            items = blocks[-1]["items"]
            if nested and items:
                items[-1]["children"].append(_inline(stripped[2:].strip()))
            else:
                items.append({"text": _inline(stripped[2:].strip()), "children": []})
        else:
            blocks.append({"type": "text", "text": _inline(stripped)})
    return blocks


class _Slot(int):
    """A number the battle report template can compare and test (`sold == p.stock`, `is not none`) that prints as a
    marker the page's script replaces with the figure the operator types."""

    marker: str

    def __new__(cls, value: int, marker: str) -> _Slot:
        slot = super().__new__(cls, value)
        slot.marker = marker
        return slot

    def __str__(self) -> str:
        return self.marker

    def __format__(self, spec: str) -> str:
        return self.marker


def _report_variants(doc: Document) -> list[str]:
    """The battle report (END-4) once per combination of sold-out products (index bit i = product i sold out), with
    markers where the orders and units sold go: the page fills them from the live figures, in the template's words."""
    from ..render import CopyWriter, split_note, template_name

    reports = [i for i, r in enumerate(doc.rows) if r.event.kind == "moments.battle_report"]
    products = doc.campaign.products
    if not reports or len(products) > 6:
        return []
    writer = CopyWriter(doc.campaign, doc.schedule, doc.templates)
    base = dict(writer.context)
    event = doc.schedule.events[reports[0]]
    local = event.at.astimezone(doc.campaign.zone) if event.at else None
    from ..copy_context import event_context

    variants = []
    for mask in range(1 << len(products)):
        sold = [
            _Slot(p.stock if mask >> i & 1 else max(p.stock - 1, 0), _sold_slot(i)) for i, p in enumerate(products)
        ]  # a value that is not the stock, unless sold out
        results = dict(base["results"], orders=_Slot(1, ORDERS_SLOT), sold=sold, units=_Slot(1, UNITS_SLOT))
        writer.context = dict(base, results=results)
        text = writer.render(template_name(event.kind, doc.campaign.language), e=event_context(event, local, writer.context))
        variants.append(split_note(text)[1])
    return variants if ORDERS_SLOT in variants[0] else []


def _script_data(doc: Document, labels: dict[str, Any]) -> str:
    c = doc.campaign
    triggers = []
    for i, row in enumerate(doc.rows):
        t = row.event.trigger
        if t is not None:
            triggers.append({"event": i, "kind": t.kind, "amount": t.amount, "product": t.product})
    results = c.results
    page = {
        "key": campaign_key(doc),
        "labels": labels["page"],
        "timezone": c.timezone,
        "products": [
            {"name": p.name, "stock": p.stock, "unit": p.unit or labels_unit(doc), "sold": _sold(results, i)}
            for i, p in enumerate(c.products)
        ],
        "orders": results.orders if results and results.orders is not None else None,
        "triggers": triggers,
        "report": {
            "variants": _report_variants(doc),
            "orders": ORDERS_SLOT,
            "units": UNITS_SLOT,
            "sold": [_sold_slot(i) for i in range(len(c.products))],
        },
    }
    payload = {
        "schema": 1,
        "campaign": campaign_summary(doc),
        "groups": list(doc.schedule.groups),
        "events": [event_record(doc, i) for i in range(len(doc.rows))],
        "page": page,
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    # Inside <script>: no "<" at all (so no "</script>" or "<!--"), and the JS line separators escaped.
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _sold(results: Any, index: int) -> int | None:
    if results and results.sold and index < len(results.sold):
        return int(results.sold[index])
    return None


def labels_unit(doc: Document) -> str:
    return doc.labels.plan["unit"]


def campaign_key(doc: Document) -> str:
    """Where the page keeps its done marks: one key per campaign and variant, the same for every copy of the file."""
    c = doc.campaign
    seed = "|".join([c.name, c.brand, c.start.isoformat(), doc.schedule.variant, ",".join(r.event.kind for r in doc.rows)])
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]


def content_security_policy(script: str) -> str:
    """Nothing may load from anywhere; only our own inline script runs (by its hash; 'unsafe-inline' is ignored by
    browsers that know hashes and keeps older ones working)."""
    digest = b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; "
        f"script-src 'sha256-{digest}' 'unsafe-inline'; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def render_html(doc: Document) -> str:
    from markupsafe import Markup

    c = doc.campaign
    labels = page_labels(c.language)
    env = _environment()
    script = _page_file("page.js")
    views = roles(doc)
    page = labels["page"]
    sep = "、" if c.language == "zh" else ", "
    context = {
        "L": page,
        "lang": page["lang"],
        "title": page["title"].format(name=c.name),
        "summary": summary_line(doc),
        "groups_label": doc.labels.headings["groups"],
        "groups": list(doc.schedule.groups),
        "groups_text": sep.join(doc.schedule.groups),
        "roles": [
            {
                "key": v.key,
                "label": v.label,
                "cues": [{"do": cue.do, "say": cue.say, "events": [_link(doc, i) for i in cue.events]} for cue in v.cues],
            }
            for v in views
        ],
        "sheet": _sheet_blocks(doc.sheet),
        "phases": _phases(doc, roles_by_event(views)),
        "products": [
            {"index": i, "label": page["left"].format(product=p.name, unit=p.unit or labels_unit(doc)), "stock": p.stock}
            for i, p in enumerate(c.products)
        ],
        "csp": content_security_policy(script),
        "style": Markup(_page_file("page.css")),
        "script": Markup(script),
        "data": Markup(_script_data(doc, labels)),
        "price": number,
    }
    return env.get_template("page.html.j2").render(**context).rstrip() + "\n"
