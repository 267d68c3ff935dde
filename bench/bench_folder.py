"""One process planning a folder of campaigns (`flashgroup plan DIR -o OUT --format F`) against one process per
campaign, whole processes as a user runs them (issue 5).

Usage: python bench/bench_folder.py [--count N] [--separate M]   (from the repository root, flashgroup installed)
       python bench/bench_folder.py --sweep 250,500,1000,2000 [--runs 3]
For each format: wall time of one `plan DIR -o OUT` command over N generated campaigns (bench_batch.generate), campaigns
per second and the peak RSS of its largest process (the command or one of its workers, workers.py); md also with
FLASHGROUP_JOBS=1 (everything in one process); then M campaigns (default N) as M separate `flashgroup plan FILE -o FILE`
processes, scaled to N, for the ratio. Prints a Markdown table for the README. Not a test: a shared machine is noisy.
--sweep: whether the time is linear in the count: md over the first N of the largest count's generated campaigns, for
each N (median of --runs), and the rate between one count and the next (the cost of the campaigns added, without the
fixed start-up).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import generate  # noqa: E402  (the same generated campaigns as the in-process benchmark)

FORMATS = ("md", "json", "csv", "ics")
# Runs a command and reports its wall time and peak RSS (KiB): the child's own, not the benchmark's.
MEASURE = """
import json, resource, subprocess, sys, time
began = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
print(json.dumps({"seconds": time.perf_counter() - began, "rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "code": done.returncode, "stderr": done.stderr.decode()[-300:]}))
"""


def flashgroup() -> str:
    exe = Path(sys.executable).parent / "flashgroup"
    return str(exe) if exe.exists() else "flashgroup"


def measured(command: list[str], jobs: str | None = None) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if k != "FLASHGROUP_JOBS"} | ({"FLASHGROUP_JOBS": jobs} if jobs else {})
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True, env=env)
    result = json.loads(out.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{command} failed: {result['stderr']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--separate", type=int, default=None, help="how many separate processes to time (default: --count)")
    parser.add_argument("--sweep", default=None, help="counts to time md at, e.g. 250,500,1000,2000 (instead of the table)")
    parser.add_argument("--runs", type=int, default=3, help="runs per count of --sweep (the median is kept)")
    args = parser.parse_args()
    if args.sweep:
        sweep([int(n) for n in args.sweep.split(",")], args.runs)
        return
    separate = args.separate or args.count
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "campaigns"
        folder.mkdir()
        files = generate(folder, args.count)
        print(f"| `flashgroup plan` over {args.count} campaigns | seconds | campaigns/s | peak RSS MiB |\n|---|---|---|---|")
        one_process = {}
        for fmt in FORMATS:
            for jobs in (None, "1") if fmt == "md" else (None,):
                out = str(Path(tmp) / f"out-{fmt}-{jobs or 'auto'}")
                result = measured([flashgroup(), "plan", str(folder), "-o", out, "--format", fmt], jobs)
                one_process.setdefault(fmt, result["seconds"])
                rate = args.count / result["seconds"]
                how = ", `FLASHGROUP_JOBS=1` (no workers)" if jobs else ""
                print(f"| one command, `--format {fmt}`{how} | {result['seconds']:.1f} | {rate:.0f} | {result['rss_kib'] / 1024:.0f} |")
        began = time.perf_counter()
        for path in files[:separate]:
            subprocess.run(
                [flashgroup(), "plan", str(path), "-o", str(Path(tmp) / "single" / f"{path.stem}.md")],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        seconds = (time.perf_counter() - began) * args.count / separate
        print(
            f"| {args.count} separate processes, md{' (scaled from ' + str(separate) + ')' if separate != args.count else ''} "
            f"| {seconds:.1f} | {args.count / seconds:.0f} | — |"
        )
        print(
            f"\nOne process is {seconds / one_process['md']:.0f}× faster than one process per campaign (md). "
            f"{sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}"
        )


def sweep(counts: list[int], runs: int) -> None:
    import shutil
    import statistics

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "all"
        source.mkdir()
        every = generate(source, max(counts))
        print("| campaigns | median s | campaigns/s | campaigns/s since the count before |\n|---:|---:|---:|---:|")
        before: tuple[int, float] | None = None
        for count in sorted(counts):
            folder = Path(tmp) / f"first-{count}"
            folder.mkdir()
            for path in every[:count]:
                shutil.copy(path, folder / path.name)
            times = []
            for run in range(runs):
                times.append(
                    measured([flashgroup(), "plan", str(folder), "-o", str(Path(tmp) / f"out-{count}-{run}"), "--format", "md"])["seconds"]
                )
            seconds = statistics.median(times)
            added = f"{(count - before[0]) / (seconds - before[1]):.0f}" if before and seconds > before[1] else "—"
            print(f"| {count:,} | {seconds:.2f} | {count / seconds:.0f} | {added} |")
            before = (count, seconds)
        print(f"\nmd, median of {runs} runs each; {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')} (local time)")


if __name__ == "__main__":
    main()
