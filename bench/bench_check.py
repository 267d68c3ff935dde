"""`flashgroup check FOLDER` over 50, 500 and 5,000 generated campaign files: one process per run, median of a few.

Usage: python bench/bench_check.py [--runs N] [--sizes 50,500,5000]   (from the repository root, flashgroup installed)
Prints a Markdown table for docs/checks.md and the README: campaigns per second, and whether the time grows linearly:
the cost per campaign beyond the first (the first pays for start-up and imports, measured on a folder of one file)
should stay flat, and must not grow with the number of files. Not a test: a shared machine is noisy.

The files are the shipped examples and the check fixtures, renamed and varied (start, stock, audience), so about one
in five has a warning or an error and the output path is exercised too. `--now` is fixed, so every run does the same
work.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "examples" / n for n in ("orange.yml", "retail.yml", "apples-en.yml")] * 4
SOURCES += [ROOT / "tests" / "fixtures" / "checks" / n for n in ("gr-5-too-few-helpers.yml", "sel-3-dearer-than-a-platform.yml")]
SOURCES += [ROOT / "tests" / "fixtures" / "checks" / "time-2-night-sale.yml"]
NOW = "2026-09-01T09:00"  # before every generated campaign's warm-up


def flashgroup() -> list[str]:
    exe = Path(sys.executable).parent / "flashgroup"
    return [str(exe)] if exe.exists() else [shutil.which("flashgroup") or "flashgroup"]


def generate(folder: Path, count: int) -> None:
    """`count` campaign files in 10 store folders: each a source file with its own name, day, stock and audience."""
    texts = [p.read_text(encoding="utf-8") for p in SOURCES]
    for i in range(count):
        text = texts[i % len(texts)]
        text = re.sub(r"(?m)^name: (.*)$", rf"name: \1 #{i}", text, count=1)
        text = re.sub(r"(?m)^start: 2026-(\d\d)-\d\d", f"start: 2026-\\1-{12 + i % 15:02d}", text, count=1)
        text = re.sub(r"(?m)^(    stock: )(\d+)$", lambda m, i=i: f"{m[1]}{int(m[2]) + i % 50}", text)
        text = re.sub(r"(?m)^audience: (\d+)$", lambda m, i=i: f"audience: {int(m[1]) + i % 20}", text, count=1)
        store = folder / f"store-{i % 10:02d}"
        store.mkdir(exist_ok=True)
        (store / f"campaign-{i:05d}.yml").write_text(text, encoding="utf-8")


def measure(folder: Path, runs: int) -> list[float]:
    command = [*flashgroup(), "check", str(folder), "--now", NOW]
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm the disk cache
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - began)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{command} failed: {done.stderr.decode()[-300:]}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per size; the median is reported (default 3)")
    parser.add_argument("--sizes", default="50,500,5000", help="comma-separated numbers of campaign files")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="flashgroup-bench-") as tmp:
        single = Path(tmp) / "n1"
        single.mkdir()
        generate(single, 1)
        startup = statistics.median(measure(single, args.runs))
        rows = []
        for size in sizes:
            folder = Path(tmp) / f"n{size}"
            folder.mkdir()
            generate(folder, size)
            times = measure(folder, args.runs)
            rows.append((size, statistics.median(times), min(times)))
    print("| campaign files | median s | min s | campaigns / s | ms per extra campaign |")
    print("|---:|---:|---:|---:|---:|")
    for size, median, fastest in rows:
        per = (median - startup) / (size - 1) * 1000
        print(f"| {size:,} | {median:.2f} | {fastest:.2f} | {size / median:,.0f} | {per:.2f} |")
    per_campaign = [(median - startup) / (size - 1) for size, median, _ in rows]
    growth = per_campaign[-1] / per_campaign[0]
    verdict = "linear" if 1 / 1.5 <= growth <= 1.5 else ("better than linear" if growth < 1 else "WORSE THAN LINEAR")
    print(f"\nOne file (start-up, imports, one campaign): {startup * 1000:.0f} ms.")
    print(f"Cost per extra campaign from {rows[0][0]:,} to {rows[-1][0]:,} files: ×{growth:.2f} ({verdict}).")
    for (small, t_small, _), (big, t_big, _) in zip(rows, rows[1:]):
        print(f"{small:,} → {big:,} files (×{big / small:g}): time beyond the first file ×{(t_big - startup) / (t_small - startup):.1f}")
    print(f"{args.runs} runs each, median; Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}")


if __name__ == "__main__":
    main()
