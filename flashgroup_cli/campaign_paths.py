"""Which campaign files a command was given: files as named, folders searched recursively (check, plan, timeline).

In a folder only regular files are campaigns: a FIFO, device or socket named `x.yml` is skipped with a warning (reading
it could hang or never end); a sub-folder or file that cannot be read is an error, never skipped silently; `*.YML`
counts like `*.yml`. Names that are not UTF-8 are shown with the odd bytes escaped (`\\xff`) in every message.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .records import field, record

CAMPAIGN_SUFFIXES = (".yml", ".yaml")


@record(frozen=False)
class Found:
    """The campaign files, and what the search could not read (errors) or skipped (warnings), as message lines."""

    files: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def find_campaigns(paths: Iterable[Path | str]) -> Found:
    """The files to read, in the order given: a file as named (even a missing one, which is then reported), a folder
    searched recursively for *.yml and *.yaml (any case) in path order, skipping hidden files and folders (.git)."""
    from .safe_text import one_line

    found = Found()
    seen: set[str] = set()

    def add(shown: str) -> None:
        key = os.path.realpath(shown)
        if key not in seen:
            seen.add(key)
            found.files.append(shown)

    def unreadable(error: OSError) -> None:
        where = one_line(str(error.filename))
        found.errors.append(f"{where}:1:1: error: cannot read the folder ({error.strerror or error}); its campaigns were not read")

    for given in paths:
        given = str(given)
        if not os.path.isdir(given):
            add(given)
            continue
        inside = []
        for folder, subfolders, names in os.walk(given, onerror=unreadable):
            subfolders[:] = [d for d in subfolders if not d.startswith(".")]
            for name in names:
                if name.startswith(".") or not name.lower().endswith(CAMPAIGN_SUFFIXES):
                    continue
                path = os.path.join(folder, name)
                try:
                    mode = os.stat(path).st_mode
                except OSError:
                    inside.append(path)  # a dangling link or an unreadable entry: reported when it is read
                    continue
                if stat.S_ISREG(mode):
                    inside.append(path)
                elif not stat.S_ISDIR(mode):
                    found.warnings.append(f"{one_line(path)}:1:1: warning: {_kind(mode)}, not a campaign file; skipped")
        for shown in sorted(inside, key=lambda p: Path(p).parts):
            add(shown)
    return found


def campaign_files(paths: Iterable[Path | str]) -> list[str]:
    """find_campaigns' files only."""
    return find_campaigns(paths).files
