"""The run-sheet as CSV: one row per action, UTF-8 with a BOM so Excel and WPS open Chinese text correctly."""

from __future__ import annotations

import csv
import io

from ..document import Document

HEADERS = {
    "zh": ["日期", "时间", "相对开始", "渠道", "执行人", "动作", "触发条件", "规则", "文案", "kind", "at"],
    "en": ["date", "time", "offset", "channel", "who", "action", "trigger", "rules", "copy", "kind", "at"],
}


def render_csv(doc: Document) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS[doc.campaign.language])
    for row in doc.rows:
        writer.writerow(
            [
                row.local.date().isoformat() if row.local else "",
                row.local.strftime("%H:%M") if row.local else "",
                row.offset or "",
                row.channel,
                row.actor,
                row.title,
                row.trigger or "",
                " ".join(row.event.rules),
                row.text,
                row.event.kind,
                row.local.isoformat() if row.local else "",
            ]
        )
    return out.getvalue()
