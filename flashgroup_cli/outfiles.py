"""Writing an output file safely: only regular files, never an input, atomically, with the mode a new file should have.

The rules (docs/limits.md):
- The target must be a regular file or not exist yet. A device (/dev/null, /dev/stderr), a FIFO, a socket or a folder
  is refused (a usage error, exit 2): as root, writing "atomically" would replace the device node with a file.
- Never a file the command reads: `flashgroup plan c.yml -o c.yml` would overwrite the campaign with its plan.
- A symlink is replaced by the output file only when it points at a regular file inside the output folder; a symlink
  leading anywhere else (another folder, /etc/passwd, a dangling one) is refused.
- The text goes to a hidden `.NAME.*.part` file beside the target, is flushed to disk and renamed over the target, so
  an error halfway never leaves a half-written file. Interrupts (Ctrl-C, SIGTERM, SIGHUP) are held back while that
  happens, so no `.part` file is left behind either.
- A new file gets the mode the umask gives (0644 under umask 022), as `>` would; a replaced file keeps its mode.
- A write the system refuses (disk full, read-only folder, no permission) is an OutputError: one line, exit 1.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import OutputError, UsageError

_HELD_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _inside(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # different drives on Windows
        return False


def check_target(target: Path, inputs: Iterable[str | Path] = (), folder: Path | None = None, *, no_links: bool = False) -> int | None:
    """Refuse a target that is not a place for an output file (UsageError); return the mode to keep (None: new file).

    `folder` is the output folder a symlink must stay in (default: the target's own folder)."""
    try:
        link = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    if stat.S_ISLNK(link.st_mode) and no_links:
        raise UsageError(f"{target} is a symlink; not written through (remove it first)")
    if stat.S_ISLNK(link.st_mode):
        real = os.path.realpath(target)
        boundary = os.path.realpath(folder if folder is not None else target.parent)
        try:
            pointed = os.stat(real)
        except OSError:
            raise UsageError(f"-o {target}: is a symlink to {real}, which does not exist; give a plain file name") from None
        if not stat.S_ISREG(pointed.st_mode) or not _inside(real, boundary):
            raise UsageError(f"-o {target}: is a symlink to {real}, outside the output folder or not a file; give a plain file name")
        found = pointed
    else:
        found = link
        if not stat.S_ISREG(link.st_mode):
            raise UsageError(f"-o {target}: is {_kind(link.st_mode)}; outputs are written only to regular files")
    source = (inputs if isinstance(inputs, InputFiles) else InputFiles(inputs)).named((found.st_dev, found.st_ino))
    if source is not None:
        raise UsageError(f"-o {target}: is the campaign file {source} itself; write the output to another file")
    return stat.S_IMODE(found.st_mode)


class InputFiles:
    """The files a command reads, known by identity (device, inode): a target that is one of them is refused.

    A folder run checks each of its outputs against every campaign file; the files are looked up once, when the
    first output that already exists is checked, rather than once per output (which grew with the square of the
    number of campaigns when a folder is planned again into the same output folder)."""

    def __init__(self, paths: Iterable[str | Path]) -> None:
        self.paths = list(paths)
        self._by_identity: dict[tuple[int, int], str | Path] | None = None

    def __iter__(self) -> Iterator[str | Path]:
        return iter(self.paths)

    def named(self, identity: tuple[int, int]) -> str | Path | None:
        """The first input (in the order given) that is this file, or None."""
        if self._by_identity is None:
            self._by_identity = {}
            for source in self.paths:
                try:
                    other = os.stat(source)
                except OSError:
                    continue
                self._by_identity.setdefault((other.st_dev, other.st_ino), source)
        return self._by_identity.get(identity)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back Ctrl-C and termination signals (delivered right after) while a file is being put in place."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None or not _HELD_SIGNALS:
        yield
        return
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = mask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, old)


def write_file(target: Path, text: str, inputs: Iterable[str | Path] = (), folder: Path | None = None, *, no_links: bool = False) -> None:
    """Write `text` (UTF-8) to `target` by the rules of this module (`no_links`: refuse every symlink)."""
    import tempfile  # here: a run that only prints does not pay for it (issue 13)

    keep = check_target(target, inputs, folder, no_links=no_links)
    mode = keep if keep is not None else 0o666 & ~_umask()
    data = text.encode("utf-8")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _signals_held():
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                    if hasattr(os, "fchmod"):
                        os.fchmod(out.fileno(), mode)
                os.replace(temporary, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None


class StdoutGone(Exception):
    """Standard output was closed by its reader (`| head`): not an error, the rest of the output is not wanted."""


def write_stdout(text: str) -> None:
    """The whole output to standard output; a closed or full one is an OutputError (exit 1), a reader that left is
    StdoutGone (the command still ends with its own status)."""
    stream = sys.stdout
    if stream is None:
        raise OutputError("cannot write the output: standard output is closed; use -o FILE")
    try:
        buffer = stream.buffer
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    except BrokenPipeError:
        # The reader left: point stdout at /dev/null so the flush at exit does not complain again.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
        raise StdoutGone() from None
    except (OSError, ValueError, AttributeError) as exc:
        why = getattr(exc, "strerror", None) or "standard output is closed"
        with contextlib.suppress(Exception):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
        raise OutputError(f"cannot write the output to standard output: {why}; use -o FILE") from None
