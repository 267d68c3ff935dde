"""A folder planned on several processors: worker processes build and render the campaigns, this one writes them.

What the user sees does not change: the workers run the very function the single-process loop runs
(produce.render_for_folder) and send back what it returned, the warnings it gave and the error it raised; this
process takes the results in the order of the campaign files, one after the other, and prints each campaign's
warnings, reports its error or writes its file exactly where the single-process loop does (batch.run_batch). So the
files, the messages, their order and the exit status are the same (tests/test_workers.py runs folders both ways).
Only the writing happens here, so atomic writes and the never-overwrite-an-input check are unchanged. `check` over a
folder uses them the same way: the workers check the files, and the report is made of their results in order.

How many: FLASHGROUP_JOBS (a whole number; 1: no workers, everything in this process); by default one per processor
this process may use, at most MAX_JOBS, for folders of MIN_CAMPAIGNS campaigns or more. Workers are forked (POSIX
systems that offer it, macOS excepted), so they start in about a millisecond with everything already imported; at most
WINDOW results per worker wait to be written, so memory stays flat however many campaigns there are. Ctrl-C stops
the workers with this process (they ignore it themselves, so no traceback of theirs reaches the terminal).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Mapping

from .errors import UsageError, UserError

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any, NoReturn

MIN_CAMPAIGNS = 8  # below this the workers are not worth their start (a plan takes about 10 ms a campaign)
MIN_CHECKED = 100  # the same for `check` (about 1.5 ms a file): 50 files took 1.15x with workers, 500 0.63x
MAX_JOBS = 8
WINDOW = 2  # results in flight per worker


class WorkerError(UserError):
    """A campaign's error as the worker raised it: the same text, printed the same way."""

    def __init__(self, text: str, located: bool) -> None:
        super().__init__(text)
        self.located = located


class WorkerUsageError(WorkerError, UsageError):
    """The same for a usage error (exit 2)."""


def job_count(campaigns: int, environ: Mapping[str, str], least: int = MIN_CAMPAIGNS) -> int:
    """How many worker processes for a folder of `campaigns` (1: none); by default none below `least` campaigns."""
    value = environ.get("FLASHGROUP_JOBS", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            from .safe_text import quoted

            raise UsageError(f"FLASHGROUP_JOBS must be a whole number of processes, 1 or more (got {quoted(value)})")
        jobs = int(value)
    elif campaigns < least:
        return 1
    else:
        jobs = min(_processors(), MAX_JOBS)
    if jobs <= 1 or sys.platform == "darwin" or not hasattr(os, "fork"):
        return 1
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(jobs, campaigns)


def _processors() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@contextlib.contextmanager
def folder_workers(campaigns: int, environ: Mapping[str, str] = os.environ, least: int = MIN_CAMPAIGNS) -> Iterator[Workers | None]:
    """Worker processes for a folder run, or None when it runs in this process. Start them before any thread (the
    progress bar's) is running: a fork copies only the thread that forks."""
    jobs = job_count(campaigns, environ, least)
    if jobs <= 1:
        yield None
        return
    import multiprocessing

    pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_ignore_interrupts)
    try:
        yield Workers(pool, jobs)
    except KeyboardInterrupt:
        _stop_at_once(pool)
    finally:
        pool.terminate()  # every result has been taken (or the run failed): nothing is left to wait for
        pool.join()


def _stop_at_once(pool: Any) -> NoReturn:
    """Ctrl-C in the middle of a folder: the pool is stopped, its workers killed, and the process ends with 130.

    Pool.terminate() first stops the pool's thread that replaces workers that exit (after that no new worker can be
    forked), then may wait for ever for its task thread, stuck putting a task into the queue of workers that are gone
    (seen about once in forty interrupts). So it runs in a thread of its own, given two seconds; whatever worker is
    left is killed, and the process ends without the interpreter's exit handlers, which would call it again. What was
    written is whole: each file is renamed into place only once complete (tests/test_output_safety.py)."""
    import multiprocessing
    import threading

    stopping = threading.Thread(target=pool.terminate, daemon=True)
    stopping.start()
    stopping.join(timeout=2)
    for child in multiprocessing.active_children():
        with contextlib.suppress(Exception):
            child.kill()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            if stream is not None:
                stream.flush()
    os._exit(130)


class Workers:
    def __init__(self, pool: Any, jobs: int) -> None:
        self.pool = pool
        self.jobs = jobs

    def in_order(
        self, task: Callable[..., Any], sources: list[str], *args: Any, chunk: int = 1
    ) -> Callable[[str, Callable[[Any], None]], Any]:
        """A function of (source, warn) giving `task(source, *args, warn)` for each source in turn, computed ahead by
        the workers; warnings are replayed through `warn` and a UserError raised again, as if computed here.

        `chunk`: sources per message to a worker, for tasks so short that the messages would cost more than them
        (check); a bug's exception then surfaces at the chunk's first source, so `plan` keeps 1 (each campaign
        written before a later one can fail)."""
        waiting: deque[tuple[list[str], Any]] = deque()
        ready: deque[tuple[str, tuple[list[Any], Any, tuple[str, bool, bool] | None]]] = deque()
        groups = iter([sources[i : i + chunk] for i in range(0, len(sources), chunk)])

        def top_up() -> None:
            while len(waiting) < WINDOW * self.jobs:
                group = next(groups, None)
                if group is None:
                    return
                waiting.append((group, self.pool.apply_async(_work_all, (task, group, args))))

        def result(source: str, warn: Callable[[Any], None]) -> Any:
            if not ready:
                top_up()
                group, pending = waiting.popleft()
                outcomes = pending.get()
                top_up()
                ready.extend(zip(group, outcomes))
            expected, (warnings, value, failed) = ready.popleft()
            if expected != source:
                raise RuntimeError(f"worker results out of order: {expected} for {source}")
            for warning in warnings:
                warn(warning)
            if failed is not None:
                text, located, usage = failed
                raise (WorkerUsageError if usage else WorkerError)(text, located)
            return value

        return result


def _ignore_interrupts() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is this process's to handle; it stops the workers


def _work_all(
    task: Callable[..., Any], sources: list[str], args: tuple[Any, ...]
) -> list[tuple[list[Any], Any, tuple[str, bool, bool] | None]]:
    return [_work(task, source, args) for source in sources]


def _work(task: Callable[..., Any], source: str, args: tuple[Any, ...]) -> tuple[list[Any], Any, tuple[str, bool, bool] | None]:
    """In a worker: the task for one source, with the warnings it gave and the error it raised (its text, whether it is
    located, whether it is a usage error)."""
    warnings: list[Any] = []
    try:
        value = task(source, *args, warnings.append)
    except UserError as exc:
        return warnings, None, (str(exc), bool(exc.located), isinstance(exc, UsageError))
    return warnings, value, None
