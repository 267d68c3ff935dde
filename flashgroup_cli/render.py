"""Rendering the copy: one Jinja template per event kind and language, in one environment built here.

The environment is strict (a missing value is an error, never an empty hole) and, with user templates from
`--templates DIR`, sandboxed (they may not reach Python internals or files). Templates are compiled once per process
(the shipped ones are precompiled in the wheel) and only those used are loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from .copy_context import campaign_context, event_context
from .errors import UserError
from .events import Schedule
from .formatting import clock, day_label, en_clock, money, number, relative_day, relative_when, span_words, thousands, unit_noun, when
from .model import Campaign
from .resources import templates_dir

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any


class TemplateProblem(UserError):
    """A template that is missing, does not parse, or fails when it renders. With `where` (file, line) it is located:
    `FILE:LINE:1: error: ...`, like a problem in a campaign file."""

    def __init__(self, message: str, where: tuple[str, int] | None = None) -> None:
        if where is not None:
            from .safe_text import one_line

            message = f"{one_line(where[0])}:{where[1]}:1: error: {message}"
            self.located = True
        super().__init__(message)


@lru_cache(maxsize=32)
def make_environment(language: str, user_dir: Path | None = None, currency: str = "¥") -> Any:
    """One environment per language, templates folder and currency, kept for the process: its templates are compiled
    once and shared by every campaign of a batch (compiling was four fifths of a plan's time).

    With a user folder the environment is Jinja's immutable sandbox (user templates may not reach Python internals or
    files) and compiles from source. Without one every template is ours: a plain environment (the sandbox's checks
    cost a fifth of the render time) that takes each template precompiled from the wheel when it can (template_build.py).
    """
    plain = _plain_environment()  # before any other jinja2 import: Jinja without its bytecode cache (jinja_import.py)
    from jinja2.runtime import StrictUndefined

    from .template_build import SYNTAX

    options = {"undefined": StrictUndefined, "auto_reload": False, "cache_size": -1, **SYNTAX}
    filters = _filters(language, currency)
    env: Any
    if user_dir is not None:
        from jinja2 import ChoiceLoader, FileSystemLoader

        from .template_limits import BudgetedSandbox, UserFolderLoader

        loader = ChoiceLoader([UserFolderLoader(user_dir), FileSystemLoader(str(templates_dir()), encoding="utf-8")])
        env = BudgetedSandbox(loader=loader, bytecode_cache=_bytecode_cache("sandbox", filters), **options)
    else:
        loader = _shipped_loader(filters)
        # The cache only serves templates compiled here: with every shipped template precompiled (a wheel) it is made
        # when one has to be compiled after all (an edited template file), so a plan touches no cache folder.
        cache = None if loader.precompiled else _bytecode_cache("plain", filters)
        env = plain(loader=loader, bytecode_cache=cache, **options)
    env.filters.update(filters)
    return env


@lru_cache(maxsize=1)
def _plain_environment() -> Any:
    """Jinja's Environment, with `x.name` on a plain dict looked up as a key at once (see getattr)."""
    from .jinja_import import environment_class

    base = environment_class()
    dict_attributes = frozenset(dir(dict))  # exactly what getattr() finds on a plain dict (it has no __dict__)

    class PlainEnvironment(base):  # type: ignore[misc,valid-type]
        def getattr(self, obj: Any, attribute: str) -> Any:
            """As Jinja's: the attribute, else the item, else undefined. Jinja tries getattr() first, so on a dict
            (the campaign's and each event's values) every `c.name` raised and caught an AttributeError: a third of
            the time spent looking values up while rendering (issue 13). On a plain dict, a name that is not one of
            dict's own attributes can only be an item, so it is looked up as one; anything else goes Jinja's way."""
            if type(obj) is dict and attribute not in dict_attributes:
                try:
                    return obj[attribute]
                except KeyError:
                    return self.undefined(obj=obj, name=attribute)
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
            try:
                return obj[attribute]
            except (TypeError, LookupError, AttributeError):
                return self.undefined(obj=obj, name=attribute)

    return PlainEnvironment


def _filters(language: str, currency: str) -> dict[str, Any]:
    """The project's filters (names in template_build.FILTER_NAMES). Each takes the context, so Jinja calls it when the
    template renders and never folds it into a constant while compiling (compiled code is shared across languages and
    currencies: the bytecode cache, the wheel's precompiled templates)."""
    from jinja2.utils import pass_context

    def at_render(function: Any) -> Any:
        @pass_context
        def filter_(context: Any, *args: Any, **kwargs: Any) -> Any:
            return function(*args, **kwargs)

        return filter_

    filters = {
        "when": lambda moment: when(moment, language),
        "day": lambda moment: day_label(moment, language),
        "clock": clock,
        "money": lambda amount: money(amount, currency, language),
        "number": number,
        "span": lambda minutes: span_words(int(minutes), language),
        "noun": lambda unit, count: unit_noun(unit, int(count), language),  # {{ p.unit|noun(p.stock) }}
        # customer copy: time words as seen on the day the text goes out (今晚8点, tomorrow at 7 pm ET)
        "rel": lambda moment, published, zone=False: relative_when(moment, published, language, zone=zone),
        "relday": lambda moment, published: relative_day(moment, published, language),
        "t": clock if language == "zh" else en_clock,  # a time of day: 20:00 / 8 pm
        "cap": lambda text: str(text)[:1].upper() + str(text)[1:],  # first letter up, the rest as written
        "count": (lambda n: str(n)) if language == "zh" else (lambda n: thousands(int(n))),  # 1050 / 1,050
    }
    wrapped = {name: at_render(function) for name, function in filters.items()}
    # wording variants, fixed per campaign file (issue 10): {{ ["A", "B", "C"]|vary("hello") }} picks one line,
    # {% set v = 3|variant("intro") %} one branch of three; both differ by event kind and step. `style` is one choice
    # for the whole campaign (the way product lines are written everywhere). They read the context themselves.
    return wrapped | {"vary": pass_context(_vary), "variant": pass_context(_variant), "style": pass_context(_style)}


@lru_cache(maxsize=4096)  # the same key comes back for every product line of a campaign (style "item")
def _choice(key: str, count: int) -> int:
    import hashlib

    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") % max(1, int(count))


def _event_key(context: Any, salt: tuple[Any, ...]) -> str:
    c, e = context.get("c"), context.get("e")
    seed = c["seed"] if c else 0
    where = f"{e['kind']}|{e['step']}" if e else "sheet"
    return f"{seed}|{where}|{'|'.join(map(str, salt))}"


def _vary(context: Any, options: Any, *salt: Any) -> Any:
    options = list(options)
    return options[_choice(_event_key(context, salt), len(options))]


def _variant(context: Any, count: int, *salt: Any) -> int:
    return _choice(_event_key(context, salt), count)


def _style(context: Any, count: int, *salt: Any) -> int:
    c = context.get("c")
    return _choice(f"{c['seed'] if c else 0}|style|{'|'.join(map(str, salt))}", count)


def _precompiled() -> Any:
    """The package of precompiled templates (flashgroup_cli._compiled, only in a built wheel), or None."""
    import importlib

    from .template_build import PACKAGE

    try:
        return importlib.import_module(f"{__package__}.{PACKAGE}")
    except ImportError:  # a source checkout or an editable install: no precompiled templates, ever
        return None


def _shipped_loader(filter_names: Any) -> Any:
    """The shipped templates: precompiled in the wheel when the module is there and still matches the template file
    (same source checksum, same Jinja, options and filter names); otherwise compiled from the file, like any loader,
    through the bytecode cache (made on that first compile when the environment has none yet)."""
    import importlib.util

    from jinja2.loaders import FileSystemLoader

    from .jinja_import import version
    from .template_build import fingerprint, source_digest

    compiled = _precompiled()
    folder = templates_dir()
    table = compiled.TEMPLATES if compiled is not None and compiled.FINGERPRINT == fingerprint(filter_names, version()) else {}

    class ShippedLoader(FileSystemLoader):
        precompiled = bool(table)
        cache_made = not table

        def load(self, environment: Any, name: str, globals: Any = None) -> Any:
            entry = table.get(name)
            if entry is not None:
                module, digest = entry
                try:
                    fresh = source_digest((folder / name).read_bytes()) == digest
                except OSError:
                    fresh = False
                spec = importlib.util.find_spec(f"{compiled.__name__}.{module}") if fresh else None
                code = spec.loader.get_code(spec.name) if spec is not None and spec.loader is not None else None  # type: ignore[attr-defined]
                if code is not None:
                    # A fresh namespace per environment, as for a template compiled here: never a shared module.
                    return environment.template_class.from_code(environment, code, {} if globals is None else globals, None)
            if not self.cache_made:
                self.cache_made = True
                environment.bytecode_cache = _bytecode_cache("plain", filter_names)
            return super().load(environment, name, globals)

    return ShippedLoader(str(folder), encoding="utf-8")


def _bytecode_cache(kind: str, filter_names: Any = ()) -> Any:
    """Compiled templates kept between runs in `~/.cache/flashgroup` (FLASHGROUP_CACHE_DIR moves it; `off` turns it
    off): for user templates, and for shipped ones in a source checkout. Jinja keys an entry by template name and source
    checksum, and the folder's name carries what else compiled code depends on (flashgroup and Jinja versions, the
    options, sandboxed or not), so an edited template or option is recompiled.

    A cached entry is code this process runs, so the cache is trusted only as far as its owner: the folder (and the one
    holding it) must belong to the user running flashgroup and be writable by no one else, and each entry must be a
    regular file (not a link) with the same owner and no group/other write bit, else the cache is not used. An entry
    that does not load (truncated, corrupt, not code) is ignored and the template compiled from source. A cache that
    cannot be read or written (read-only home, full disk) is simply not used. Where files have no owner to check
    (Windows) there is no cache."""
    import os

    setting = os.environ.get("FLASHGROUP_CACHE_DIR", "")
    if setting.lower() in ("off", "0", "no", "none") or not hasattr(os, "getuid"):
        return None
    import hashlib
    import stat
    import types

    import jinja2
    from jinja2 import FileSystemBytecodeCache

    from . import __version__
    from .template_build import fingerprint

    def trusted(status: os.stat_result, kind_ok: bool) -> bool:
        return kind_ok and status.st_uid == os.getuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)

    base = setting or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "flashgroup")
    tag = hashlib.sha256(f"{__version__} {fingerprint(filter_names)} {kind}".encode()).hexdigest()[:12]
    folder = os.path.join(base, f"jinja-{__version__}-{jinja2.__version__}-{kind}-{tag}")
    try:
        os.makedirs(base, mode=0o700, exist_ok=True)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        for path in (base, folder):
            status = os.stat(path)
            if not trusted(status, stat.S_ISDIR(status.st_mode)):
                return None
    except OSError:
        return None

    class _Checked(FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Any) -> None:
            try:
                fd = os.open(self._get_cache_filename(bucket), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            except OSError:
                return
            try:
                with os.fdopen(fd, "rb") as entry:
                    status = os.fstat(entry.fileno())
                    if trusted(status, stat.S_ISREG(status.st_mode)):
                        bucket.load_bytecode(entry)
            except Exception:  # noqa: BLE001 - whatever is wrong with an entry, it is not used
                bucket.reset()
            if bucket.code is not None and not isinstance(bucket.code, types.CodeType):
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    return _Checked(folder)


def template_name(kind: str, language: str) -> str:
    return f"{kind}.{language}.j2"


class CopyWriter:
    """Writes the text of every event of a schedule, and the operator's sheet."""

    def __init__(self, campaign: Campaign, schedule: Schedule, user_dir: Path | None = None) -> None:
        self.campaign = campaign
        self.schedule = schedule
        self.env = make_environment(campaign.language, user_dir.resolve() if user_dir else None, campaign.currency)
        self.context = campaign_context(campaign, schedule)
        self.user_templates = user_dir is not None
        self._words_module: Any = None

    def _template(self, name: str) -> Any:
        from jinja2.exceptions import TemplateError, TemplateNotFound

        try:
            return self.env.get_template(name)  # compiled on first use, then from the environment's cache
        except TemplateNotFound as exc:
            raise TemplateProblem(f"template {exc.name or name} not found") from None
        except TemplateError as exc:
            where = (getattr(exc, "filename", None) or name, getattr(exc, "lineno", None) or 1)
            raise TemplateProblem(f"template error: {exc.message}", where) from None

    def render(self, name: str, **values: Any) -> str:
        template = self._template(name)
        words = self._words()
        with self._running(template.filename or name):
            text = template.render(c=self.context, w=words, **values)
        return _tidy(text)

    def _words(self) -> Any:
        """The shared wording (`_words.<lang>.j2`: payment, fulfilment, product lines...) as `w` in every template, made
        once per campaign: its macros read only `c`, and importing it `with context` in each template made it anew for
        every text, a fifth of rendering a campaign (issue 13). A user's `_words` (--templates) is used the same way."""
        if self._words_module is None:
            template = self._template(f"_words.{self.campaign.language}.j2")
            with self._running(template.filename or template.name):
                self._words_module = template.make_module({"c": self.context})
        return self._words_module

    @contextmanager
    def _running(self, filename: str) -> Iterator[None]:
        """A template running under the render budget; its errors become a TemplateProblem at its file and line."""
        from jinja2.exceptions import SecurityError, TemplateError, TemplateNotFound

        try:
            with self._budget():
                yield
        except TemplateNotFound as exc:
            raise TemplateProblem(f"template {exc.name} not found (in the --templates folder or shipped)", _where(exc, filename)) from None
        except SecurityError as exc:
            raise TemplateProblem(f"not allowed in a template: {exc}", _where(exc, filename)) from None
        except TemplateError as exc:
            raise TemplateProblem(f"template error: {exc}", _where(exc, filename)) from None
        except UserError:
            raise
        except Exception as exc:  # noqa: BLE001 - a user template's fault is the user's error; ours stays a bug
            self._user_fault(exc, filename)
            raise

    def _budget(self) -> Any:
        """The render budget (template_limits.py) for user templates; the shipped ones are ours and run free."""
        import contextlib

        if not self.user_templates:
            return contextlib.nullcontext()
        from .template_limits import render_budget

        return render_budget()

    def _user_fault(self, exc: BaseException, name: str) -> None:
        """With user templates, an error raised while a template runs (a filter given the wrong type, recursion, a
        range too big, the render budget) is the template's: a located TemplateProblem naming its file and line."""
        if not self.user_templates:
            return
        from .template_limits import describe

        raise TemplateProblem(describe(exc), _where(exc, name)) from None

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
        return self.sheet_parts()[1]()

    def sheet_parts(self) -> tuple[str, Callable[[], Any]]:
        """The sheet as Markdown, and a function giving it as data with every line worded (and that Markdown as its
        `text`). The Markdown is the sheet template's body; the data calls its macros once more for each line, which
        is a tenth of rendering a campaign, and only the JSON, the run page and the cards use it (issue 13): a caller
        that may not need it calls the function when it does (document.Document.sheet_data)."""
        from .records import replace
        from .sheet import build_sheet, with_texts

        name = f"sheet.{self.campaign.language}.j2"
        data = build_sheet(self.campaign, self.schedule, self.context)
        template = self._template(name)
        filename = template.filename or name

        def missing_macros(exc: AttributeError) -> TemplateProblem:
            return TemplateProblem(f"{name}: the sheet template must define the macros line, cue, role_name and budget_row ({exc})")

        with self._running(filename):
            words = template.make_module({"c": self.context, "s": data})  # renders the body once, holds the macros
            try:
                for macro in SHEET_MACROS:  # all there now, whatever asks for the data later
                    getattr(words, macro)
            except AttributeError as exc:
                raise missing_macros(exc) from None
            text = _tidy(str(words))

        def worded() -> Any:
            with self._running(filename):
                try:
                    return replace(with_texts(data, words), text=text)
                except AttributeError as exc:
                    raise missing_macros(exc) from None

        return text, worded


SHEET_MACROS = ("line", "cue", "role_name", "budget_row")


def _where(exc: BaseException, name: str) -> tuple[str, int]:
    """The template file and line an error happened at: the deepest template frame of its traceback (Jinja rewrites
    tracebacks so template code shows with its own file and line), else the template being rendered."""
    found: tuple[str, int] | None = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    lineno = getattr(exc, "lineno", None)
    named = getattr(exc, "filename", None)
    if found is None and named:
        found = (str(named), lineno or 1)
    return found or (name, lineno or 1)


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
