"""Whole-process timings of the everyday commands against `python -c pass` (the floor).

Usage: python bench/bench_cli.py [--runs N]   (from the repository root, with flashgroup installed in this Python)
Prints a Markdown table (median, min, ratio to the floor) for the README. Not a test: a shared machine is noisy.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def flashgroup() -> list[str]:
    exe = Path(sys.executable).parent / "flashgroup"
    return [str(exe)] if exe.exists() else [shutil.which("flashgroup") or "flashgroup"]


COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "flashgroup --help": [*flashgroup(), "--help"],
    "flashgroup timeline examples/retail.yml --format json": [*flashgroup(), "timeline", "examples/retail.yml", "--format", "json"],
    "flashgroup timeline examples/retail.yml (md, piped)": [*flashgroup(), "timeline", "examples/retail.yml"],
}


def extra_commands() -> dict[str, list[str]]:
    """Commands that exist only once their issue has landed; measured when present."""
    out = {}
    help_text = subprocess.run([*flashgroup(), "--help"], capture_output=True, text=True, cwd=ROOT).stdout
    if " plan " in help_text or "\n  plan" in help_text:
        out["flashgroup plan examples/retail.yml > /dev/null"] = [*flashgroup(), "plan", "examples/retail.yml"]
        out["flashgroup plan examples/retail.yml --format json"] = [*flashgroup(), "plan", "examples/retail.yml", "--format", "json"]
    if "\n  check" in help_text:
        out["flashgroup check examples/retail.yml"] = [*flashgroup(), "check", "examples/retail.yml"]
    return out


def measure(command: list[str], runs: int) -> list[float]:
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm the disk cache
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - began)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{command} failed: {done.stderr.decode()[-300:]}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    commands = {**COMMANDS, **extra_commands()}
    floor = None
    print("| command | median ms | min ms | × python -c pass |\n|---|---|---|---|")
    for label, command in commands.items():
        times = measure(command, args.runs)
        median = statistics.median(times)
        floor = floor or median
        print(f"| `{label}` | {median * 1000:.0f} | {min(times) * 1000:.0f} | {median / floor:.1f} |")
    print(f"\n{args.runs} runs each, {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}")


if __name__ == "__main__":
    main()
