"""A folder planned or checked by worker processes (workers.py, FLASHGROUP_JOBS) gives what the single-process run
gives: the same files byte for byte, the same messages in the same order, the same exit status, for good campaigns,
campaigns with warnings, rule errors, load errors, YAML errors and outputs that cannot be written. Real processes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flashgroup_cli.errors import UsageError
from flashgroup_cli.workers import MIN_CAMPAIGNS, MIN_CHECKED, job_count

from .conftest import EXAMPLES, campaign_yaml
from .test_checks import FIXTURES

pytestmark = pytest.mark.skipif(job_count(100, {"FLASHGROUP_JOBS": "2"}) == 1, reason="no forked workers on this system")


def _command() -> list[str]:
    exe = Path(sys.executable).parent / "flashgroup"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "flashgroup_cli"]


def _run(jobs: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "FLASHGROUP_JOBS": jobs}
    return subprocess.run([*_command(), *args], capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A folder of campaigns of every kind, in two sub-folders, more than enough for the workers to start."""
    folder = tmp_path / "campaigns"
    for sub in ("a", "b"):
        (folder / sub).mkdir(parents=True)
    for example in sorted(EXAMPLES.glob("*.yml")):
        shutil.copy(example, folder / "a" / example.name)
    for fixture in ("gr-5-too-few-helpers", "ad-1-absolute-claim", "ad-4-health-claim-en", "sel-5-six-products", "end-1-extension"):
        shutil.copy(FIXTURES / f"{fixture}.yml", folder / "b" / f"{fixture}.yml")
    (folder / "b" / "broken.yml").write_text("name: [unclosed\n", encoding="utf-8")
    for i in range(6):
        (folder / "b" / f"extra-{i}.yml").write_text(campaign_yaml(name=f"快闪 {i}", audience=100 + 40 * i), encoding="utf-8")
    return folder


def _many_campaigns(folder: Path, count: int = 400) -> Path:
    """A folder of `count` campaigns (orange.yml, each its own name): a run long enough to be stopped in the middle."""
    folder.mkdir()
    text = (EXAMPLES / "orange.yml").read_text(encoding="utf-8")
    for i in range(count):
        (folder / f"c{i:03d}.yml").write_text(text.replace("name: ", f"name: 第{i}场 ", 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", ["md", "json", "cards"])
def test_workers_write_and_report_exactly_what_one_process_does(mixed: Path, tmp_path: Path, fmt: str) -> None:
    runs = {}
    for jobs in ("1", "3"):
        out = tmp_path / f"out-{jobs}"
        (out / "a").mkdir(parents=True)
        if fmt == "cards":
            (out / "a" / "retail").write_text("in the way", encoding="utf-8")  # the folder for its cards is a file
        else:
            (out / "a" / f"retail.{fmt}").mkdir()  # where its output would go is a folder
        result = _run(jobs, "plan", str(mixed), "-o", str(out), "--format", fmt)
        runs[jobs] = (result.returncode, result.stdout, result.stderr.replace(str(out), "OUT"), _files(out))
    assert runs["1"][0] == 1 and "Traceback" not in runs["1"][2]
    assert "AD-1 error" in runs["1"][2] and "GR-5 warning" in runs["1"][2] and "YAML syntax error" in runs["1"][2]
    assert len(runs["1"][3]) >= 9 or fmt == "cards"
    assert runs["3"] == runs["1"]


@pytest.mark.parametrize("options", [["--format", "text"], ["--format", "json", "--lang", "en"], ["--select", "AD,GR", "--compressed"]])
def test_check_with_workers_reports_exactly_what_one_process_does(mixed: Path, tmp_path: Path, options: list[str]) -> None:
    templates = tmp_path / "mine"
    templates.mkdir()
    (templates / "group.close.zh.j2").write_text("结束啦\n全网最低，下次再来\n", encoding="utf-8")
    for i in range(40):  # several messages' worth of files for each worker (check_files.CHECK_CHUNK)
        source = sorted((mixed / "b").glob("*.yml"))[i % 12]
        (mixed / "c" / f"{i:02d}-{source.name}").parent.mkdir(exist_ok=True)
        shutil.copy(source, mixed / "c" / f"{i:02d}-{source.name}")
    for extra in ([], ["--templates", str(templates)]):
        command = ["check", str(mixed), "--now", "2026-09-01T09:00", *options, *extra]
        one, three = _run("1", *command), _run("3", *command)
        assert (three.returncode, three.stdout, three.stderr) == (one.returncode, one.stdout, one.stderr)
        assert one.returncode == 1 and one.stdout and "Traceback" not in one.stderr


def test_the_default_starts_workers_only_for_a_big_enough_folder() -> None:
    assert job_count(MIN_CAMPAIGNS - 1, {}) == 1
    assert job_count(1000, {"FLASHGROUP_JOBS": "1"}) == 1
    assert job_count(1000, {"FLASHGROUP_JOBS": "3"}) == 3
    assert job_count(2, {"FLASHGROUP_JOBS": "3"}) == 2  # never more workers than campaigns
    assert job_count(50, {}, least=MIN_CHECKED) == 1 and job_count(50, {"FLASHGROUP_JOBS": "2"}, least=MIN_CHECKED) == 2
    for bad in ("0", "-1", "two", "1.5"):
        with pytest.raises(UsageError, match="FLASHGROUP_JOBS"):
            job_count(1000, {"FLASHGROUP_JOBS": bad})


def test_a_bad_job_count_is_a_usage_error(mixed: Path, tmp_path: Path) -> None:
    result = _run("none", "plan", str(mixed), "-o", str(tmp_path / "out"))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == 'flashgroup: error: FLASHGROUP_JOBS must be a whole number of processes, 1 or more (got "none")\n'
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_stops_the_workers_with_no_traceback_and_no_part_file(tmp_path: Path) -> None:
    folder, out = _many_campaigns(tmp_path / "many"), tmp_path / "out"
    env = {**os.environ, "FLASHGROUP_JOBS": "2"}
    command = [*_command(), "plan", str(folder), "-o", str(out)]
    # Ctrl-C's default handling, even when this test runs in the background (where a shell starts it ignored)
    default = lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)  # noqa: E731
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True, preexec_fn=default)
    deadline = time.monotonic() + 60
    while not (out.exists() and any(out.glob("*.md"))) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C: to the whole foreground group, workers included
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert not list(out.glob(".*.part"))
    time.sleep(0.2)
    left = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(folder) not in left  # no worker left behind


def _square_or_fail(source: str, offset: int, warn) -> int:  # type: ignore[no-untyped-def]
    """A task for the workers: a warning for every source, a user's error for "bad", a bug for "bug", a long wait
    for "slow"."""
    warn(f"looked at {source}")
    if source == "bad":
        raise UsageError(f"{source} is bad")
    if source == "bug":
        raise ZeroDivisionError(f"{source}: division by zero")
    if source == "slow":
        time.sleep(60)  # killed before it is done
    return int(source) ** 2 + offset


@pytest.mark.parametrize(("jobs", "chunk"), [(2, 1), (3, 1), (3, 4)])
def test_workers_give_each_result_in_order_with_its_warnings_and_errors(jobs: int, chunk: int) -> None:
    from flashgroup_cli.workers import Workers

    sources = [str(i) for i in range(40)]
    sources[17] = "bad"
    workers = Workers(jobs)
    try:
        ahead = workers.in_order(_square_or_fail, sources, 5, chunk=chunk)
        for source in sources:
            warnings: list[str] = []
            if source == "bad":
                with pytest.raises(UsageError, match="bad is bad"):
                    ahead(source, warnings.append)
            else:
                assert ahead(source, warnings.append) == int(source) ** 2 + 5
            assert warnings == [f"looked at {source}"]
    finally:
        workers.stop()
    assert not workers.pids


def test_a_bug_in_a_worker_is_raised_here_with_its_traceback() -> None:
    from flashgroup_cli.workers import RemoteTraceback, Workers

    workers = Workers(2)
    try:
        ahead = workers.in_order(_square_or_fail, ["1", "2", "bug", "4"], 0)
        assert [ahead("1", print), ahead("2", print)] == [1, 4]
        with pytest.raises(ZeroDivisionError, match="bug: division by zero") as raised:
            ahead("bug", print)
        assert isinstance(raised.value.__cause__, RemoteTraceback) and "_square_or_fail" in str(raised.value.__cause__)
    finally:
        workers.stop()


def test_a_worker_killed_from_outside_is_an_error_at_once_not_a_hang() -> None:
    from flashgroup_cli.workers import WorkerLost, Workers

    workers = Workers(2)
    try:
        ahead = workers.in_order(_square_or_fail, ["0", "slow", "2"], 0)
        assert ahead("0", print) == 0
        os.kill(workers.pids[1], signal.SIGKILL)
        began = time.monotonic()
        with pytest.raises(WorkerLost, match=r"ended before sending the result for slow \(killed by SIGKILL\); .*FLASHGROUP_JOBS=1"):
            ahead("slow", print)
        assert time.monotonic() - began < 30
    finally:
        workers.stop()


def test_a_folder_run_whose_worker_is_killed_ends_with_one_clear_line(tmp_path: Path) -> None:
    folder, out = _many_campaigns(tmp_path / "many"), tmp_path / "out"
    env = {**os.environ, "FLASHGROUP_JOBS": "2", "PYTHONIOENCODING": "utf-8"}
    process = subprocess.Popen([*_command(), "plan", str(folder), "-o", str(out)], stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while not workers and time.monotonic() < deadline and process.poll() is None:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        workers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
        if workers and not any(out.glob("*.md")):
            workers = []  # not started writing yet: wait until the run is under way
        time.sleep(0.01)
    if not workers:
        pytest.skip("the run ended before a worker could be seen (/proc/PID/task/PID/children)")
    os.kill(workers[0], signal.SIGKILL)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1].startswith("flashgroup: error: a worker process (")
    assert "(killed by SIGKILL); if the system is short of memory, FLASHGROUP_JOBS=1 runs without workers" in stderr
    assert not list(out.glob(".*.part"))


def test_a_worker_killed_before_it_is_given_its_files_is_the_same_error() -> None:
    from flashgroup_cli.workers import WorkerLost, Workers

    workers = Workers(2)
    try:
        os.kill(workers.pids[0], signal.SIGKILL)
        os.waitpid(workers.pids[0], 0)
        with pytest.raises(WorkerLost, match=r"ended before it was given its files \(already reaped\)"):
            workers.in_order(_square_or_fail, ["1", "2"], 0)
    finally:
        workers.stop()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX limits")
def test_more_workers_than_the_system_allows_is_a_usage_error(mixed: Path, tmp_path: Path) -> None:
    """FLASHGROUP_JOBS=100 (18 campaigns: 18 workers) under a limit of 24 open files: one line saying what to do, exit 2, nothing written."""
    import resource

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (24, 24))

    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "FLASHGROUP_JOBS": "100"}
    out = tmp_path / "out"
    result = subprocess.run(
        [*_command(), "plan", str(mixed), "-o", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        preexec_fn=limited,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[-1].startswith("flashgroup: error: cannot start ")
    assert "set FLASHGROUP_JOBS lower, or to 1 for none" in result.stderr and "Traceback" not in result.stderr
    assert not list(out.rglob("*.md"))
