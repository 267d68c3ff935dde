"""Titles and trigger texts of events, from templates/titles.<lang>.yml (words live in templates/, not in code)."""

from __future__ import annotations

from functools import cache

from .events import Event
from .formatting import span, unit_noun
from .model import Campaign
from .records import record
from .resources import templates_dir

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any


@record
class Labels:
    titles: dict[str, str]
    triggers: dict[str, str]
    channels: dict[str, str]
    actions: dict[str, str]
    stages: dict[str, str]
    actors: dict[str, str]
    headings: dict[str, str]
    columns: dict[str, str]
    plan: dict[str, str]


@cache
def load_labels(language: str) -> Labels:
    import yaml

    path = templates_dir() / f"titles.{language}.yml"
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return Labels(
        **{key: dict(data[key]) for key in ("titles", "triggers", "channels", "actions", "stages", "actors", "headings", "columns", "plan")}
    )


class Describer:
    """Turns an event into its title and trigger text in the campaign's language."""

    def __init__(self, campaign: Campaign, labels: Labels) -> None:
        self.campaign = campaign
        self.labels = labels

    def values(self, event: Event) -> dict[str, object]:
        c, lang = self.campaign, self.campaign.language
        minutes = event.details.get("minutes_before", event.details.get("minutes_left", event.details.get("minutes", 0)))
        return {
            "step": event.step,
            "of": event.of,
            "product": c.products[event.product].name if event.product is not None else "",
            "minutes": span(int(minutes), lang),  # type: ignore[call-overload]
            "channel": self.labels.channels.get(event.channel, event.channel),
            "action": self.labels.actions.get(str(event.details.get("action", "")), ""),
            "stage": self.labels.stages.get(str(event.details.get("stage", "")), ""),
            "at": event.trigger.amount if event.trigger else "",
        }

    def title(self, event: Event) -> str:
        return self.labels.titles[event.kind].format(**self.values(event))

    def trigger(self, event: Event) -> str | None:
        t = event.trigger
        if t is None:
            return None
        product = self.campaign.products[t.product] if t.product is not None else None
        unit = unit_noun((product.unit if product else None) or self.labels.plan["unit"], t.amount, self.campaign.language)
        return self.labels.triggers[t.kind].format(product=product.name if product else "", left=t.amount, at=t.amount, unit=unit)

    def channel(self, event: Event) -> str:
        return self.labels.channels.get(event.channel, event.channel)

    def actor(self, helpers: list[int] | None = None) -> str:
        """群主, or 群主+水军3、4 when helpers have cues at this action (helper_roster.py)."""
        host = self.labels.actors["host"]
        if not helpers:
            return host
        separator = "、" if self.campaign.language == "zh" else ", "
        return self.labels.actors["with_helpers"].format(host=host, numbers=separator.join(str(n) for n in helpers))
