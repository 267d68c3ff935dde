"""Many campaigns in one call: one output file per campaign, written atomically, a bad file reported and skipped.

An output is rendered in full in memory, written to a temporary file beside its target and renamed over it, so an
error halfway leaves neither a half-written file nor a damaged file of an earlier good run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import UsageError, UserError
from .records import field, record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any


def write_atomically(target: Path, text: str, inputs: Iterable[str | Path] = (), folder: Path | None = None) -> None:
    """See outfiles.write_file: regular files only, never an input, no `.part` left, the umask's mode."""
    from .outfiles import write_file

    write_file(target, text, inputs, folder)


def output_paths(sources: list[str], given: list[str], output: Path, extension: str) -> dict[str, Path]:
    """Where each campaign's output goes: `output/<campaign file name>.<ext>`; inside a folder given on the command
    line, its sub-folders are kept, so two `x.yml` in different folders never overwrite each other."""
    folders = [Path(g) for g in given if Path(g).is_dir()]
    targets: dict[str, Path] = {}
    for source in sources:
        path = Path(source)
        relative = Path(path.name)
        for folder in folders:
            try:
                relative = path.relative_to(folder)
                break
            except ValueError:
                continue
        targets[source] = output / relative.with_suffix(f".{extension}")
    counts = Counter(targets.values())
    clashes = sorted({str(t) for t, n in counts.items() if n > 1})
    if clashes:
        raise UsageError(f"several campaigns would write the same file: {', '.join(clashes)}; give them different names")
    return targets


@record(frozen=False)
class BatchResult:
    written: list[Path] = field(default_factory=list)
    failed: dict[str, UserError] = field(default_factory=dict)


def run_batch(
    sources: list[str],
    targets: dict[str, Path],
    render: Callable[[str], Any],
    report: Callable[[str, UserError], None],
    progress: Callable[[int, int], None] | None = None,
    folder: Path | None = None,
    write: Callable[[Path, Any], None] | None = None,  # default: one file, written atomically
) -> BatchResult:
    """Render and write every campaign; a campaign that fails is reported (with its located problems) and skipped."""
    from .outfiles import InputFiles

    result = BatchResult()
    inputs = InputFiles(sources)  # every output is checked against every campaign file: looked up once
    for done, source in enumerate(sources, start=1):
        try:
            text = render(source)
        except UserError as exc:  # a bad campaign file, a check error, a broken template: this one only
            report(source, exc)
            result.failed[source] = exc
        else:
            try:
                if write is None:
                    write_atomically(targets[source], text, inputs, folder)
                else:
                    write(targets[source], text)
            except UserError as exc:  # a target that is not a regular file, a full disk: this one only
                report(source, exc)
                result.failed[source] = exc
            else:
                result.written.append(targets[source])
        if progress:
            progress(done, len(sources))
    return result
