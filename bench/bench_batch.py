"""In-process throughput of many campaigns: build the documents and render every format the library offers.

Usage: python bench/bench_batch.py [--count N] [--keep DIR]   (from the repository root, flashgroup importable;
1,000 campaigns take about 7 minutes on 2 cores, mostly the plans)

Generates N campaign files (default 1,000) from examples/*.yml, each with its own name and start (spread over a year,
so some warm-ups cross a DST change), then measures each pipeline in a fresh child process: campaigns per second over
the whole batch (after one warm-up campaign, so the figure is the steady rate, not imports and template compiling),
peak RSS of that process (resource.getrusage) and the peak of Python allocations under tracemalloc, in a second pass
over a sample (tracemalloc slows a run several times over; outputs are dropped as they come, so the peak does not
grow with N). Outputs are rendered and dropped, not written: writing a folder is the
CLI's part (bench_cli.py, issue 5). Prints a Markdown table for the README. Not a test: a shared machine is noisy.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yml"))
FIRST_DAY = date(2026, 6, 1)
STARTS = ("19:00", "19:30", "20:00", "20:30", "21:00")  # evening sales, clear of the hour that repeats at DST's end

TRACED_SAMPLE = 50
# Pipeline name → (document builder, renderer "module:function" under flashgroup_cli.outputs), resolved in the child.
PIPELINES = {
    "timeline (document only)": ("timeline", None),
    "timeline → json": ("timeline", "json_output:render_json"),
    "timeline → csv": ("timeline", "csv_output:render_csv"),
    "timeline → ics": ("timeline", "ics_output:render_ics"),
    "plan (document only)": ("plan", None),
    "plan → md": ("plan", "plan_markdown:render_plan_markdown"),
    "plan → json": ("plan", "json_output:render_json"),
    "plan → ics": ("plan", "ics_output:render_ics"),
}


def generate(folder: Path, count: int) -> list[Path]:
    """`count` campaign files, the examples in turn, each renamed and moved to another day and hour."""
    sources = [(p.stem, p.read_text(encoding="utf-8")) for p in EXAMPLES]
    paths = []
    for i in range(count):
        stem, text = sources[i % len(sources)]
        day = FIRST_DAY + timedelta(days=(i * 7) % 365)
        text = re.sub(r"^name: (.*)$", lambda m, i=i: f"name: {m.group(1)} #{i + 1}", text, count=1, flags=re.M)
        text = re.sub(r"^start: .*$", f"start: {day.isoformat()} {STARTS[i % len(STARTS)]}", text, count=1, flags=re.M)
        path = folder / f"{stem}-{i + 1:04d}.yml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def plannable(paths: list[Path]) -> list[Path]:
    """The files whose language has copy templates (a plan needs them; the timeline does not)."""
    from flashgroup_cli.errors import UserError
    from flashgroup_cli.pipeline import plan_document

    ok_languages: dict[str, bool] = {}
    keep = []
    for path in paths:
        language = re.search(r"^language: (\w+)", path.read_text(encoding="utf-8"), flags=re.M)
        key = language.group(1) if language else "zh"
        if key not in ok_languages:
            try:
                plan_document(path)
                ok_languages[key] = True
            except UserError:
                ok_languages[key] = False
        if ok_languages[key]:
            keep.append(path)
    return keep


def pipeline(name: str) -> Callable[[Path], int]:
    """One campaign through the named pipeline; returns the size of the output (or the rows) so nothing is skipped."""
    import importlib

    from flashgroup_cli.pipeline import plan_document, timeline_document

    builder, renderer = PIPELINES[name]
    build = plan_document if builder == "plan" else timeline_document
    if renderer is None:
        return lambda path: len(build(path).rows)
    module, _, function = renderer.partition(":")
    render = getattr(importlib.import_module(f"flashgroup_cli.outputs.{module}"), function)
    return lambda path: len(render(build(path)))


def run_child(name: str, files: list[Path]) -> dict[str, float]:
    """The measurement itself, in a fresh process so RSS is this pipeline's alone."""
    import resource

    run = pipeline(name)
    run(files[0])  # warm-up: imports, templates compiled, zone rules cached
    began = time.perf_counter()
    size = sum(run(path) for path in files)
    seconds = time.perf_counter() - began
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux (bytes on macOS)
    if sys.platform == "darwin":
        rss_kib //= 1024
    tracemalloc.start()
    for path in files[:TRACED_SAMPLE]:
        run(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"seconds": seconds, "count": len(files), "rss_mib": rss_kib / 1024, "heap_mib": peak / 2**20, "size": size}


def measure(name: str, files: list[Path], folder: Path) -> dict[str, float]:
    listing = folder / f"files-{abs(hash(name))}.txt"
    listing.write_text("\n".join(str(p) for p in files), encoding="utf-8")
    done = subprocess.run([sys.executable, __file__, "--child", name, "--files", str(listing)], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000, help="campaign files to generate (default 1000)")
    parser.add_argument("--keep", type=Path, help="write the generated files here and keep them")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--files", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        files = [Path(line) for line in args.files.read_text(encoding="utf-8").splitlines()]
        print(json.dumps(run_child(args.child, files)))
        return
    with tempfile.TemporaryDirectory(prefix="flashgroup-bench-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        files = generate(folder, args.count)
        plans = plannable(files)
        print("| pipeline (in-process) | campaigns | campaigns/s | ms/campaign | peak RSS MiB | peak Python heap MiB |")
        print("|---|---|---|---|---|---|")
        for name, (builder, _) in PIPELINES.items():
            batch = plans if builder == "plan" else files
            if not batch:
                print(f"| {name} | 0 | – | – | – | – |")
                continue
            r = measure(name, batch, Path(scratch))
            rate = r["count"] / r["seconds"]
            print(f"| {name} | {r['count']:.0f} | {rate:.0f} | {1000 / rate:.1f} | {r['rss_mib']:.0f} | {r['heap_mib']:.1f} |")
        skipped = len(files) - len(plans)
        notes = [f"{len(files)} generated campaigns ({', '.join(p.stem for p in EXAMPLES)} in turn)"]
        if skipped:
            notes.append(f"{skipped} left out of the plan rows: no copy templates for their language yet")
        notes.append(f"{sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}")
        print("\n" + "; ".join(notes))


if __name__ == "__main__":
    main()
