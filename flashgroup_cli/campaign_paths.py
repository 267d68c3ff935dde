"""Which campaign files a command was given: files as named, folders searched recursively (check, plan, timeline)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

CAMPAIGN_SUFFIXES = (".yml", ".yaml")


def campaign_files(paths: Iterable[Path | str]) -> list[str]:
    """The files to check, in the order given: a file as named (even a missing one, which is then reported), a folder
    searched recursively for *.yml and *.yaml in path order, skipping hidden files and folders (.git, .venv)."""
    found: list[str] = []
    seen: set[str] = set()

    def add(shown: str) -> None:
        key = os.path.realpath(shown)
        if key not in seen:
            seen.add(key)
            found.append(shown)

    for given in paths:
        given = str(given)
        if not os.path.isdir(given):
            add(given)
            continue
        inside = []
        for folder, subfolders, names in os.walk(given):
            subfolders[:] = [d for d in subfolders if not d.startswith(".")]
            inside += [os.path.join(folder, n) for n in names if n.endswith(CAMPAIGN_SUFFIXES) and not n.startswith(".")]
        for shown in sorted(inside, key=lambda p: Path(p).parts):
            add(shown)
    return found
