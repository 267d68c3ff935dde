"""The four steps in one place — load, schedule, render, describe — so every command and format runs them alike."""

from __future__ import annotations

from pathlib import Path

from .document import Document, build_document


def timeline_document(path: Path, *, compressed: bool = False, display: str | None = None) -> Document:
    from .campaign_file import load_campaign
    from .schedule import build_schedule

    campaign = load_campaign(path, display)
    return build_document(campaign, build_schedule(campaign, compressed=compressed))


def plan_document(path: Path, *, compressed: bool = False, templates: Path | None = None, display: str | None = None) -> Document:
    """The timeline with every text written: the copy of each event and the operator's sheet."""
    from .campaign_file import load_campaign
    from .render import CopyWriter
    from .schedule import build_schedule

    campaign = load_campaign(path, display)
    schedule = build_schedule(campaign, compressed=compressed)
    writer = CopyWriter(campaign, schedule, templates)
    return build_document(campaign, schedule, texts=writer.texts(), sheet=writer.sheet())
