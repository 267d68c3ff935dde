"""The steps after loading — schedule, render, describe — in one place, so every command and format runs them alike."""

from __future__ import annotations

from pathlib import Path

from .document import Deferred, Document, build_document
from .events import Schedule
from .model import Campaign


def campaign_document(
    campaign: Campaign, *, compressed: bool = False, plan: bool = False, templates: Path | None = None, schedule: Schedule | None = None
) -> Document:
    """The timeline of a loaded campaign; with `plan`, every text written too (each event's copy and the sheet).
    `schedule`: the campaign's schedule for `compressed` when the caller has built it already."""
    from .schedule import build_schedule

    if schedule is None:
        schedule = build_schedule(campaign, compressed=compressed)
    if not plan:
        return build_document(campaign, schedule)
    from .render import CopyWriter

    writer = CopyWriter(campaign, schedule, templates)
    sheet, worded = writer.sheet_parts()
    return build_document(campaign, schedule, texts=writer.texts(), sheet=sheet, sheet_data=Deferred(worded), templates=templates)


def timeline_document(path: Path | str, *, compressed: bool = False, display: str | None = None) -> Document:
    from .campaign_file import load_campaign

    return campaign_document(load_campaign(path, display), compressed=compressed)


def plan_document(path: Path | str, *, compressed: bool = False, templates: Path | None = None, display: str | None = None) -> Document:
    from .campaign_file import load_campaign

    return campaign_document(load_campaign(path, display), compressed=compressed, plan=True, templates=templates)
