"""One process planning a folder of campaigns (`flashgroup plan DIR -o OUT --format F`) against one process per
campaign, whole processes as a user runs them (issue 5).

Usage: python bench/bench_folder.py [--count N] [--separate M]   (from the repository root, flashgroup installed)
For each format: wall time of one `plan DIR -o OUT` process over N generated campaigns (bench_batch.generate), campaigns
per second and the process's peak RSS; then M campaigns (default N) as M separate `flashgroup plan FILE -o FILE`
processes, scaled to N, for the ratio. Prints a Markdown table for the README. Not a test: a shared machine is noisy.
"""

from __future__ import annotations

import argparse
import json
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


def measured(command: list[str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{command} failed: {result['stderr']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--separate", type=int, default=None, help="how many separate processes to time (default: --count)")
    args = parser.parse_args()
    separate = args.separate or args.count
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "campaigns"
        folder.mkdir()
        files = generate(folder, args.count)
        print(f"| `flashgroup plan` over {args.count} campaigns | seconds | campaigns/s | peak RSS MiB |\n|---|---|---|---|")
        one_process = {}
        for fmt in FORMATS:
            result = measured([flashgroup(), "plan", str(folder), "-o", str(Path(tmp) / f"out-{fmt}"), "--format", fmt])
            one_process[fmt] = result["seconds"]
            rate = args.count / result["seconds"]
            print(f"| one process, `--format {fmt}` | {result['seconds']:.1f} | {rate:.0f} | {result['rss_kib'] / 1024:.0f} |")
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


if __name__ == "__main__":
    main()
