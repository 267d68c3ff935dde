"""Rendering the copy: one Jinja template per event kind and language, in one environment built here.

The environment is sandboxed (user templates from `--templates DIR` may not reach Python internals or files) and
strict (a missing value is an error, never an empty hole). Templates are compiled once per process and only those
used are loaded.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from .copy_context import campaign_context, event_context
from .errors import UserError
from .events import Schedule
from .formatting import clock, day_label, money, number, span, unit_noun, when
from .model import Campaign
from .resources import templates_dir


class TemplateProblem(UserError):
    """A template that is missing, does not parse, or uses a value that does not exist."""


@lru_cache(maxsize=32)
def make_environment(language: str, user_dir: Path | None = None, currency: str = "¥") -> Any:
    """One environment per language, templates folder and currency, kept for the process: its templates are compiled
    once and shared by every campaign of a batch (compiling was four fifths of a plan's time)."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    search = [str(user_dir)] if user_dir else []
    search.append(str(templates_dir()))
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(search, encoding="utf-8"),
        bytecode_cache=_bytecode_cache(),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
        cache_size=-1,
    )
    env.filters.update(
        {
            "when": lambda moment: when(moment, language),
            "day": lambda moment: day_label(moment, language),
            "clock": clock,
            "money": lambda amount: money(amount, currency, language),
            "number": number,
            "span": lambda minutes: span(int(minutes), language),
            "noun": lambda unit, count: unit_noun(unit, int(count), language),  # {{ p.unit|noun(p.stock) }}
        }
    )
    return env


def _bytecode_cache() -> Any:
    """Compiled templates kept between runs (compiling is most of a one-campaign plan's time). Jinja keys each entry
    by template name and source checksum, so an edited template is recompiled; a cache that cannot be read or written
    (read-only home, full disk) is simply not used. FLASHGROUP_CACHE_DIR=off turns it off."""
    import os

    from jinja2 import FileSystemBytecodeCache

    from . import __version__

    setting = os.environ.get("FLASHGROUP_CACHE_DIR", "")
    if setting.lower() in ("off", "0", "no", "none"):
        return None
    base = setting or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "flashgroup")
    folder = os.path.join(base, f"jinja-{__version__}")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None

    class _Tolerant(FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, EOFError, ValueError):
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    return _Tolerant(folder)


def template_name(kind: str, language: str) -> str:
    return f"{kind}.{language}.j2"


class CopyWriter:
    """Writes the text of every event of a schedule, and the operator's sheet."""

    def __init__(self, campaign: Campaign, schedule: Schedule, user_dir: Path | None = None) -> None:
        self.campaign = campaign
        self.schedule = schedule
        self.env = make_environment(campaign.language, user_dir.resolve() if user_dir else None, campaign.currency)
        self.context = campaign_context(campaign, schedule)

    def _template(self, name: str) -> Any:
        from jinja2 import TemplateError, TemplateNotFound

        try:
            return self.env.get_template(name)  # compiled on first use, then from the environment's cache
        except TemplateNotFound:
            raise TemplateProblem(f"template {name} not found") from None
        except TemplateError as exc:
            where = f"{getattr(exc, 'filename', None) or name}:{getattr(exc, 'lineno', '?')}"
            raise TemplateProblem(f"{where}: template error: {exc.message}") from None

    def render(self, name: str, **values: Any) -> str:
        from jinja2 import TemplateError
        from jinja2.exceptions import SecurityError

        template = self._template(name)
        try:
            text = template.render(c=self.context, **values)
        except SecurityError as exc:
            raise TemplateProblem(f"{name}: not allowed in a template: {exc}") from None
        except TemplateError as exc:
            raise TemplateProblem(f"{name}: template error: {exc}") from None
        return _tidy(text)

    def texts(self) -> list[tuple[str, str]]:
        """(note, copy) of every event, in schedule order."""
        out = []
        lang = self.campaign.language
        for event in self.schedule.events:
            local = event.at.astimezone(self.campaign.zone) if event.at else None
            name = template_name(event.kind, lang)
            note, copy = split_note(self.render(name, e=event_context(event, local, self.context)))
            if not copy:
                raise TemplateProblem(f"{name}: renders no text to post")
            out.append((note, copy))
        return out

    def sheet(self) -> str:
        return self.operator_sheet().text

    def operator_sheet(self) -> Any:
        """The sheet as data (sheet.py) with every line worded by the template's macros, and the whole as Markdown."""
        from dataclasses import replace

        from jinja2 import TemplateError
        from jinja2.exceptions import SecurityError

        from .sheet import build_sheet, with_texts

        name = f"sheet.{self.campaign.language}.j2"
        data = build_sheet(self.campaign, self.schedule, self.context)
        template = self._template(name)
        try:
            words = template.make_module({"c": self.context, "s": data})  # renders the body once, and holds the macros
            worded = with_texts(data, words)
            text = _tidy(str(words))
        except AttributeError as exc:
            raise TemplateProblem(
                f"{name}: the sheet template must define the macros line, cue, role_name and budget_row ({exc})"
            ) from None
        except SecurityError as exc:
            raise TemplateProblem(f"{name}: not allowed in a template: {exc}") from None
        except TemplateError as exc:
            raise TemplateProblem(f"{name}: template error: {exc}") from None
        return replace(worded, text=text)


NOTE_MARK = "» "


def split_note(text: str) -> tuple[str, str]:
    """Lines a template starts with `» ` are for the operator (what to attach, who does it), not for pasting."""
    notes: list[str] = []
    copy: list[str] = []
    for line in text.splitlines():
        (notes if line.startswith(NOTE_MARK) else copy).append(line.removeprefix(NOTE_MARK))
    return "\n".join(notes), _tidy("\n".join(copy))


def _tidy(text: str) -> str:
    """Trailing spaces off every line, at most one blank line in a row, no blank lines around the text."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy).strip()
