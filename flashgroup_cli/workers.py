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
systems that offer it, macOS excepted), so they start in about a millisecond with everything already imported.

Why not multiprocessing.Pool (used until issue 13's last round): its three threads, its task and result queues and a
lock round trip per result cost this process 1.1 ms of CPU per campaign, an eighth of the work itself, on a machine
whose every core is busy rendering; and a worker killed from outside (the system out of memory) left the pool waiting
for ever. Here each worker gets its share of the files once, in one message through a pipe of its own (campaign i
goes to worker i mod n, so taking results in file order visits the workers in turn) and streams back one pickled
result per campaign through another pipe; the pipe's capacity bounds how far a worker runs ahead, so memory stays
flat however many campaigns there are. A worker that dies is seen at once (end of its pipe). Ctrl-C stops the workers
with this process (they ignore it themselves, so no traceback of theirs reaches the terminal).
"""

from __future__ import annotations

import contextlib
import os
import signal  # here, not when the workers are stopped: out of file descriptors, that import would fail
import sys
from collections.abc import Callable, Iterator, Mapping

from .errors import RunStopped, UsageError, UserError

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any, BinaryIO

MIN_CAMPAIGNS = 8  # below this the workers are not worth their start (a plan takes about 10 ms a campaign)
MIN_CHECKED = 100  # the same for `check` (about 1.5 ms a file): 50 files took 1.15x with workers, 500 0.63x
MAX_JOBS = 8
PIPE_BYTES = 1 << 20  # each worker's result pipe, where the system allows (Linux): room for a few dozen plans


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
    return min(jobs, campaigns)


def _processors() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@contextlib.contextmanager
def folder_workers(campaigns: int, environ: Mapping[str, str] = os.environ, least: int = MIN_CAMPAIGNS) -> Iterator[Workers | None]:
    """Worker processes for a folder run, or None when it runs in this process. Start them before any thread (the
    progress bar's) is running: a fork copies only the thread that forks. However the run ends (done, a failure,
    Ctrl-C), no worker outlives it."""
    jobs = job_count(campaigns, environ, least)
    if jobs <= 1:
        yield None
        return
    workers = Workers(jobs)
    try:
        yield workers
    finally:
        workers.stop()


class WorkerLost(RunStopped):
    """A worker ended without sending its result: killed from outside (the system out of memory, a stray kill). The
    run stops with what is written so far, and says how to run without workers."""


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker, shown as its cause (FLASHGROUP_DEBUG=1)."""


class Workers:
    """`jobs` forked processes, each waiting for its share of a folder (in_order)."""

    def __init__(self, jobs: int) -> None:
        import gc

        self.jobs = jobs
        self.pids: list[int] = []
        self.tasks: list[BinaryIO] = []  # this process -> worker: one message per in_order call
        self.results: list[BinaryIO] = []  # worker -> this process: one pickled outcome per source
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                if stream is not None:
                    stream.flush()  # else text still buffered here would be written again by each worker
        # What is in memory now is shared with the workers until written to; frozen, the workers' garbage collector
        # does not go through it (which would write to every object it visits, and copy its memory page).
        gc.freeze()
        try:
            for _ in range(jobs):
                self._fork()
        except OSError as exc:  # out of file descriptors or processes: too many workers asked for
            self.stop()
            raise UsageError(
                f"cannot start {jobs} worker processes ({exc.strerror or exc}): set FLASHGROUP_JOBS lower, or to 1 for none"
            ) from None
        except BaseException:
            self.stop()
            raise

    def _fork(self) -> None:
        task_read, task_write = os.pipe()
        result_read, result_write = os.pipe()
        _widen(result_write)
        pid = os.fork()
        if pid == 0:  # the worker: it never returns into the caller's code, whatever happens
            status = 1
            try:
                for stream in self.tasks + self.results:  # the earlier workers' pipes: theirs, not this one's
                    os.close(stream.fileno())
                os.close(task_write)
                os.close(result_read)
                _serve(task_read, result_write)
                status = 0
            finally:
                os._exit(status)
        os.close(task_read)
        os.close(result_write)
        self.pids.append(pid)
        self.tasks.append(os.fdopen(task_write, "wb"))
        self.results.append(os.fdopen(result_read, "rb"))

    def in_order(
        self, task: Callable[..., Any], sources: list[str], *args: Any, chunk: int = 1
    ) -> Callable[[str, Callable[[Any], None]], Any]:
        """A function of (source, warn) giving `task(source, *args, warn)` for each source in turn, computed ahead by
        the workers; warnings are replayed through `warn` and a UserError raised again, as if computed here.

        `chunk`: sources in a row given to one worker, which sends their results together, for tasks so short that a
        message per source would cost more than they do (check)."""
        import pickle

        groups = [sources[i : i + chunk] for i in range(0, len(sources), chunk)]
        for k, stream in enumerate(self.tasks):
            try:
                stream.write(pickle.dumps((task, groups[k :: self.jobs], args), pickle.HIGHEST_PROTOCOL))
                stream.flush()
            except BrokenPipeError:
                raise WorkerLost(f"a worker process ({self.pids[k]}) ended before it was given its files ({self._ending(k)})") from None
        turns = iter([g % self.jobs for g, group in enumerate(groups) for _ in group])  # each source's worker, in order

        def result(source: str, warn: Callable[[Any], None]) -> Any:
            k = next(turns)
            try:
                sent, (warnings, value, failed) = pickle.load(self.results[k])
            except EOFError:
                from .safe_text import one_line

                raise WorkerLost(
                    f"a worker process ({self.pids[k]}) ended before sending the result for {one_line(source)} ({self._ending(k)}); "
                    "if the system is short of memory, FLASHGROUP_JOBS=1 runs without workers"
                ) from None
            if sent == _BUG:
                value.__cause__ = RemoteTraceback(failed)
                raise value
            if sent != source:
                raise RuntimeError(f"worker results out of order: {sent} for {source}")
            for warning in warnings:
                warn(warning)
            if failed is not None:
                text, located, usage = failed
                raise (WorkerUsageError if usage else WorkerError)(text, located)
            return value

        return result

    def _ending(self, k: int) -> str:
        try:
            pid, status = os.waitpid(self.pids[k], 0)
        except ChildProcessError:
            return "already reaped"
        if os.WIFSIGNALED(status):
            return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
        return f"exit status {os.waitstatus_to_exitcode(status)}"

    def stop(self) -> None:
        """End every worker (done or not: whatever it computes now is no longer wanted) and reap it."""
        for stream in self.tasks + self.results:
            with contextlib.suppress(OSError):
                stream.close()
        for pid in self.pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        for pid in self.pids:
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
        self.pids.clear()
        self.tasks.clear()
        self.results.clear()


_BUG = "\0bug"  # in place of a source: the worker sends an exception of ours (a bug), raised here as it was there


def _widen(fd: int) -> None:
    """A bigger pipe where the system allows it (Linux: F_SETPIPE_SZ), so a worker runs further ahead of the writing."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except (ImportError, OSError):
        pass  # the system's default (64 KiB on Linux): still correct, a little less slack


def _serve(task_fd: int, result_fd: int) -> None:
    """A worker's life: take a share of sources, send back each one's outcome in order; again until the end of the
    task pipe (or a kill)."""
    import pickle
    import traceback

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle; it stops the workers
    tasks, results = os.fdopen(task_fd, "rb"), os.fdopen(result_fd, "wb")
    while True:
        try:
            task, groups, args = pickle.load(tasks)
        except EOFError:
            return
        for group in groups:
            for source in group:
                try:
                    outcome = pickle.dumps((source, _work(task, source, args)), pickle.HIGHEST_PROTOCOL)
                except BaseException as exc:  # noqa: BLE001 - a bug: raised in the main process, where it is reported
                    results.write(_bug_report(exc, traceback.format_exc()))
                    results.flush()
                    return
                results.write(outcome)
            results.flush()


def _bug_report(exc: BaseException, trace: str) -> bytes:
    """The message for a bug: the exception itself if it survives pickling both ways, else its type and text."""
    import pickle

    try:
        message = pickle.dumps((_BUG, ([], exc, trace)), pickle.HIGHEST_PROTOCOL)
        pickle.loads(message)
    except Exception:  # noqa: BLE001 - an exception that cannot travel: what the report shows of it
        message = pickle.dumps((_BUG, ([], RuntimeError(f"{type(exc).__name__}: {exc}"), trace)), pickle.HIGHEST_PROTOCOL)
    return message


def _work(task: Callable[..., Any], source: str, args: tuple[Any, ...]) -> tuple[list[Any], Any, tuple[str, bool, bool] | None]:
    """In a worker: the task for one source, with the warnings it gave and the error it raised (its text, whether it is
    located, whether it is a usage error)."""
    warnings: list[Any] = []
    try:
        value = task(source, *args, warnings.append)
    except UserError as exc:
        return warnings, None, (str(exc), bool(exc.located), isinstance(exc, UsageError))
    return warnings, value, None
