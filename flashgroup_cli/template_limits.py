"""What a user template (`plan --templates DIR`) may read and spend: docs/limits.md, "Templates".

- Reading: only regular files directly in the folder or its sub-folders, never through a symlink (a template that is a
  link, or a link inside the folder, would put any file of the machine into the plan), at most MAX_TEMPLATE_BYTES,
  UTF-8 (a located error at the first bad byte).
- Running, in Jinja's immutable sandbox, within a render budget: MAX_CPU_SECONDS of CPU per text and MAX_MEMORY more
  memory than the process had, string and list building by `*`, `+` and `**` capped before it happens, ranges capped
  by the sandbox (100,000), output capped at MAX_OUTPUT characters per text. A template that overruns is a located
  error naming its file and line, never a hang or an exhausted machine.
"""

from __future__ import annotations

import contextlib
import math
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from jinja2 import BaseLoader, TemplateNotFound
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any

MAX_TEMPLATE_BYTES = 256 * 1024
MAX_CPU_SECONDS = 2.0
MAX_MEMORY = 256 * 1024 * 1024
MAX_OUTPUT = 1_000_000  # characters of one rendered text (the sheet included)
MAX_BUILT = 100_000  # characters or items one `*` or `+` may build
MAX_POWER_BITS = 4096


class BudgetExceeded(Exception):
    """A user template ran past its render budget."""


class UserFolderLoader(BaseLoader):
    """Templates from the user's folder: plain files inside it only (see the module's docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(os.path.realpath(folder))

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
        from .render import TemplateProblem

        path = self.folder.joinpath(*split_template_path(template))  # `..` is TemplateNotFound already
        try:
            info = os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            raise TemplateNotFound(template) from None
        except OSError as exc:
            raise TemplateProblem(f"cannot read the template ({exc.strerror or exc})", (str(path), 1)) from None
        if stat.S_ISLNK(info.st_mode) or os.path.realpath(path) != str(path):
            raise TemplateProblem(
                "the template is a symlink or is reached through one; templates must be plain files inside the --templates folder",
                (str(path), 1),
            )
        if not stat.S_ISREG(info.st_mode):
            raise TemplateProblem("not a regular file; templates must be plain files", (str(path), 1))
        if info.st_size > MAX_TEMPLATE_BYTES:
            raise TemplateProblem(f"template too large ({info.st_size} bytes; at most {MAX_TEMPLATE_BYTES})", (str(path), 1))
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as handle:
                raw = handle.read(MAX_TEMPLATE_BYTES + 1)
        except OSError as exc:
            raise TemplateProblem(f"cannot read the template ({exc.strerror or exc})", (str(path), 1)) from None
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise TemplateProblem(
                f"template is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8", (str(path), line)
            ) from None
        return source, str(path), lambda: False


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


class BudgetedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with `*`, `+` and `**` checked before they build anything big, and output counted."""

    intercepted_binops = frozenset({"*", "+", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sized, times in ((left, right), (right, left)):
                length = _size(sized)
                if length is not None and isinstance(times, int) and length * times > MAX_BUILT:
                    raise SecurityError(f"`*` would build {length * times} characters or items (at most {MAX_BUILT})")
        elif operator == "+":
            a, b = _size(left), _size(right)
            if a is not None and b is not None and a + b > MAX_BUILT:
                raise SecurityError(f"`+` would build {a + b} characters or items (at most {MAX_BUILT})")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
            if right * math.log2(abs(left)) > MAX_POWER_BITS:
                raise SecurityError(f"`**` result too large (more than {MAX_POWER_BITS} bits)")
        return super().call_binop(context, operator, left, right)

    @staticmethod
    def concat(pieces: Any) -> str:  # type: ignore[override]
        """The output of a render, counted as it is produced: a loop cannot fill memory with it."""
        out: list[str] = []
        total = 0
        for piece in pieces:
            total += len(piece)
            if total > MAX_OUTPUT:
                raise BudgetExceeded(f"the template writes more than {MAX_OUTPUT} characters")
            out.append(piece)
        return "".join(out)


@contextlib.contextmanager
def render_budget() -> Iterator[None]:
    """CPU time and memory limits around one render (POSIX, main thread; elsewhere only the sandbox's own limits)."""
    import signal
    import threading

    timer = getattr(signal, "setitimer", None)
    if timer is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def out_of_time(signum: int, frame: Any) -> None:
        raise BudgetExceeded(f"the template ran for more than {MAX_CPU_SECONDS:g} s of CPU (a loop too long?)")

    previous = signal.signal(signal.SIGPROF, out_of_time)
    memory = _limit_memory()
    signal.setitimer(signal.ITIMER_PROF, MAX_CPU_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        memory()


def _limit_memory() -> Any:
    """Cap the address space at what the process uses now plus MAX_MEMORY; returns the undo. Linux only."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = used + MAX_MEMORY
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        if soft != resource.RLIM_INFINITY and soft < cap:
            return lambda: None
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (OSError, ValueError, ImportError):
        return lambda: None
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def describe(exc: BaseException) -> str:
    """What went wrong in a template, in words (the location is added by the caller)."""
    if isinstance(exc, BudgetExceeded):
        return f"render budget exceeded: {exc}"
    if isinstance(exc, MemoryError):
        return f"render budget exceeded: the template needs more than {MAX_MEMORY // 2**20} MiB of memory"
    if isinstance(exc, RecursionError):
        return "template error: recursion too deep (a macro that calls itself without end?)"
    if isinstance(exc, OverflowError):
        return f"template error: {exc}"
    return f"template error: {type(exc).__name__}: {exc}"
