"""A schedule made readable: each event with its local time, title, trigger text and (for plans) its copy.

Every output format (json, csv, md, table, ics) is written from a Document, so they cannot disagree.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .durations import format_offset
from .events import Event, Schedule
from .helper_roster import helper_cues, helpers_by_event
from .labels import Describer, Labels, load_labels
from .model import Campaign
from .records import field, record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


@record
class Row:
    event: Event
    local: datetime | None  # the instant in the campaign's zone, with the offset the zone has then
    title: str
    trigger: str | None
    channel: str  # in the campaign's language
    actor: str  # who does it, in the campaign's language: 群主, 群主+水军3、4
    offset: str | None  # T−2h, T+12m
    text: str = ""  # the copy, ready to paste
    note: str = ""  # for the operator only: what to attach, who does it, the rule behind it
    helpers: tuple[int, ...] = ()  # the numbers of the helpers with a cue at this action (helper_roster.py)


class Deferred:
    """A value made the first time it is asked for: the sheet's worded lines, which only some formats read (the
    JSON, the run page, the cards), while wording them is a tenth of rendering a campaign (issue 13)."""

    __slots__ = ("_make", "_value")

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make: Callable[[], Any] | None = make
        self._value: Any = None

    def value(self) -> Any:
        if self._make is not None:
            self._value = self._make()
            self._make = None  # made once; what it held (the template module) can go
        return self._value


@record
class Document:
    campaign: Campaign
    schedule: Schedule
    rows: tuple[Row, ...]
    labels: Labels
    sheet: str = ""  # the operator's sheet (Markdown), for plans
    # The same sheet as data (sheet.Sheet: roles and cues, materials, budget, rules), for plans; read it as
    # `sheet_data`, which makes it on first use when it was given as a Deferred.
    sheet_source: Any = field(default=None, compare=False, repr=False)
    templates: Path | None = None  # the --templates folder the copy came from (the run page renders the report again)

    @property
    def sheet_data(self) -> Any:
        source = self.sheet_source
        return source.value() if isinstance(source, Deferred) else source

    @property
    def timed(self) -> list[Row]:
        return [r for r in self.rows if r.local is not None]

    @property
    def triggered(self) -> list[Row]:
        return [r for r in self.rows if r.local is None]


def build_document(
    campaign: Campaign,
    schedule: Schedule,
    texts: list[tuple[str, str]] | None = None,
    labels: Labels | None = None,
    sheet: str = "",
    sheet_data: Any = None,
    templates: Path | None = None,
) -> Document:
    """Rows for every event; `texts` gives each event's (note, copy) for a plan, in schedule order."""
    labels = labels or load_labels(campaign.language)
    describe = Describer(campaign, labels)
    helpers = helpers_by_event(helper_cues(campaign, schedule))
    rows = []
    for index, event in enumerate(schedule.events):
        local = event.at.astimezone(campaign.zone) if event.at else None
        rows.append(
            Row(
                event=event,
                local=local,
                title=describe.title(event),
                trigger=describe.trigger(event),
                channel=describe.channel(event),
                actor=describe.actor(helpers.get(index)),
                helpers=tuple(helpers.get(index, ())),
                offset=format_offset(event.at - campaign.start) if event.at else None,
                note=texts[index][0] if texts else "",
                text=texts[index][1] if texts else "",
            )
        )
    return Document(campaign, schedule, tuple(rows), labels, sheet, sheet_data, templates)
