"""The run-sheet as CSV: one row per action, UTF-8 with a BOM so Excel and WPS open Chinese text correctly.

Columns in the order an operator reads a row, left to right: when (date, time, offset from the start, or the sales
trigger of a cue), where (channel), who, what (action), the copy to paste, the operator's note (what to attach, how
many envelopes), the rule IDs; then two columns for tools (kind, ISO instant).
"""

from __future__ import annotations

import csv
import io

from ..document import Document
from ..safe_text import csv_cell

HEADERS = {
    "zh": ["日期", "时间", "相对开始", "触发条件", "渠道", "执行人", "动作", "文案", "运营备注", "规则", "kind", "at"],
    "en": ["date", "time", "offset", "trigger", "channel", "who", "action", "copy", "note", "rules", "kind", "at"],
}


def render_csv(doc: Document) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS[doc.campaign.language])
    for row in doc.rows:
        writer.writerow(
            csv_cell(cell)
            for cell in [
                row.local.date().isoformat() if row.local else "",
                row.local.strftime("%H:%M") if row.local else "",
                row.offset or "",
                row.trigger or "",
                row.channel,
                row.actor,
                row.title,
                row.text,
                row.note,
                " ".join(row.event.rules),
                row.event.kind,
                row.local.isoformat() if row.local else "",
            ]
        )
    return out.getvalue()
