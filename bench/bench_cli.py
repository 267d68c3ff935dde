"""Whole-process timings of the everyday commands against two yardsticks: `python -c pass` (the floor) and jinja2-cli
rendering one 20-line template (bench/generic.md.j2) from the same campaign file — the generic tool a technical
operator would otherwise script (issue 13).

Usage (from the repository root):
    python bench/bench_cli.py --venv /tmp/fg-bench [--runs 30]
--venv makes (or reuses) a virtualenv there with flashgroup installed from this checkout as a wheel (what users get:
the shipped templates precompiled) and jinja2-cli; without it, the Python running this script must have both.
Each command runs in turn with jinja2-cli (A B A B ...), so the ratio is taken pair by pair and holds when a shared
machine's speed drifts; the table quotes medians. Peak RSS is each process's own (wait4). Not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGN = "examples/retail.yml"
YARDSTICK = "jinja2-cli, 20-line template"


def make_venv(folder: Path) -> Path:
    """A venv with this checkout installed as a wheel and jinja2-cli; returns its bin folder."""
    bin_dir = folder / ("Scripts" if os.name == "nt" else "bin")
    if not (bin_dir / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    pip = [str(bin_dir / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "--force-reinstall", "--no-deps", str(ROOT)], check=True)
    subprocess.run([*pip, str(ROOT), "jinja2-cli>=1.0"], check=True)
    return bin_dir


def commands(bin_dir: Path) -> dict[str, tuple[list[str], dict[str, str]]]:
    fg = str(bin_dir / "flashgroup")
    none: dict[str, str] = {}
    return {
        "python -c pass": ([str(bin_dir / "python"), "-c", "pass"], none),
        YARDSTICK: (
            [str(bin_dir / "jinja2"), "--trim-blocks", "--lstrip-blocks", "--strict", "bench/generic.md.j2", CAMPAIGN],
            none,
        ),
        "flashgroup --help": ([fg, "--help"], none),
        f"flashgroup timeline {CAMPAIGN} --format json": ([fg, "timeline", CAMPAIGN, "--format", "json"], none),
        f"flashgroup plan {CAMPAIGN} --format md": ([fg, "plan", CAMPAIGN, "--format", "md"], none),
        f"flashgroup plan {CAMPAIGN} --format md, empty cache folder (a new user's first run)": (
            [fg, "plan", CAMPAIGN, "--format", "md"],
            {"FLASHGROUP_CACHE_DIR": "<new>"},
        ),
        f"flashgroup plan {CAMPAIGN} --format json": ([fg, "plan", CAMPAIGN, "--format", "json"], none),
        f"flashgroup check {CAMPAIGN}": ([fg, "check", CAMPAIGN], none),
    }


def run_once(command: list[str], env: dict[str, str], scratch: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one process, its output read and thrown away."""
    environ = dict(os.environ)
    for key, value in env.items():
        environ[key] = tempfile.mkdtemp(dir=scratch) if value == "<new>" else value
    began = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - began
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{command} failed ({proc.returncode}): {err.decode()[-300:]}")
    return seconds, usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--venv", type=Path, help="make or reuse a benchmark venv here (the wheel of this checkout + jinja2-cli)")
    args = parser.parse_args()
    bin_dir = make_venv(args.venv) if args.venv else Path(sys.executable).parent
    if not (bin_dir / "jinja2").exists():
        raise SystemExit(f"no jinja2-cli in {bin_dir}: give --venv DIR, or pip install jinja2-cli")
    table = commands(bin_dir)
    yard_command, yard_env = table[YARDSTICK]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        for label, (command, env) in table.items():
            run_once(command, env, scratch)  # warm the disk cache (and, for the cache row, nothing: each run gets a new one)
            run_once(yard_command, yard_env, scratch)
            times, ratios, peaks = [], [], []
            for _ in range(args.runs):
                seconds, peak = run_once(command, env, scratch)
                yard, _ = run_once(yard_command, yard_env, scratch)
                times.append(seconds)
                peaks.append(peak)
                ratios.append(seconds / yard)
            rows.append((label, statistics.median(times), statistics.median(ratios), max(peaks)))
            shutil.rmtree(scratch, ignore_errors=True)
            scratch.mkdir(exist_ok=True)
    floor = rows[0][1]
    print(f"| command | median ms | × `python -c pass` | × {YARDSTICK} (paired) | peak RSS MiB |\n|---|---:|---:|---:|---:|")
    for label, median, ratio, peak in rows:
        print(f"| `{label}` | {median * 1000:.0f} | {median / floor:.1f} | {ratio:.2f} | {peak:.0f} |")
    cpu = platform.processor() or platform.machine()
    print(
        f"\n{args.runs} paired runs each; {os.cpu_count()} cores ({cpu}), {platform.system()}; "
        f"Python {platform.python_version()}; {time.strftime('%Y-%m-%d')}"
    )


if __name__ == "__main__":
    main()
