"""Issue 9, items 1 and 6: -o writes only regular files, never an input, with the umask's mode; pipes and full disks
are one clear line and exit 1; options out of range are usage errors (2). Real processes, real files."""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import campaign_yaml, flashgroup_process

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types, signals and umask")


def _command() -> list[str]:
    exe = Path(sys.executable).parent / "flashgroup"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "flashgroup_cli"]


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    path = tmp_path / "c.yml"
    path.write_text(campaign_yaml(), encoding="utf-8")
    return path


def _one_error_line(result: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert result.returncode == code, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize("device", ["/dev/null", "/dev/stderr"])
def test_a_device_is_never_replaced_by_a_file(campaign, device):
    before = os.stat(device, follow_symlinks=True)
    result = flashgroup_process("plan", str(campaign), "-o", device)
    _one_error_line(result, 2, device)
    after = os.stat(device, follow_symlinks=True)
    assert (after.st_ino, after.st_dev, after.st_mode) == (before.st_ino, before.st_dev, before.st_mode)


def test_a_fifo_socket_or_folder_target_is_a_usage_error(campaign, tmp_path):
    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    import socket

    sock_path = tmp_path / "s.md"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    try:
        for target, kind in ((fifo, "FIFO"), (sock_path, "socket")):
            _one_error_line(flashgroup_process("plan", str(campaign), "-o", str(target)), 2, kind)
    finally:
        sock.close()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    # A folder where a campaign's output file would go: that file's target is a folder.
    out = tmp_path / "out"
    (out / "c.md").mkdir(parents=True)
    result = flashgroup_process("plan", str(campaign), str(campaign), "-o", str(out))
    assert result.returncode != 0 and "folder" in result.stderr and (out / "c.md").is_dir()


def test_the_campaign_file_is_never_overwritten_with_its_own_plan(campaign, tmp_path):
    before = campaign.read_bytes()
    _one_error_line(flashgroup_process("plan", str(campaign), "-o", str(campaign)), 2, "campaign file")
    link = tmp_path / "plan.md"
    link.symlink_to(campaign)
    _one_error_line(flashgroup_process("plan", str(campaign), "-o", str(link)), 2, "campaign file")
    assert campaign.read_bytes() == before and link.is_symlink()


def test_a_folder_run_never_overwrites_a_campaign_file_and_replaces_its_own_outputs(tmp_path):
    """In a folder run every output is checked against every campaign file (looked up once per run): a target that is
    a hard link to another campaign is refused, naming that campaign, and the rest is written; planned again into the
    same folder, every output is replaced by the same bytes."""
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    out.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.yml").write_text(campaign_yaml(name=f"快闪 {name}"), encoding="utf-8")
    os.link(folder / "c.yml", out / "a.md")
    before = (folder / "c.yml").read_bytes()
    result = flashgroup_process("plan", str(folder), "-o", str(out))
    assert result.returncode == 1
    assert f"-o {out / 'a.md'}: is the campaign file {folder / 'c.yml'} itself" in result.stderr
    assert (folder / "c.yml").read_bytes() == before and sorted(p.name for p in out.iterdir()) == ["a.md", "b.md", "c.md"]
    (out / "a.md").unlink()
    assert flashgroup_process("plan", str(folder), "-o", str(out)).returncode == 0
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert flashgroup_process("plan", str(folder), "-o", str(out)).returncode == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first and len(first) == 3


def test_a_symlink_is_replaced_only_when_it_points_at_a_file_in_the_output_folder(campaign, tmp_path):
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    outside = out / "outside.md"
    outside.symlink_to(secret)
    _one_error_line(flashgroup_process("plan", str(campaign), "-o", str(outside)), 2, "symlink")
    assert secret.read_text(encoding="utf-8") == "keep me" and outside.is_symlink()
    dangling = out / "dangling.md"
    dangling.symlink_to(out / "nothing-here.md")
    _one_error_line(flashgroup_process("plan", str(campaign), "-o", str(dangling)), 2, "symlink")
    assert not (out / "nothing-here.md").exists()
    old = out / "old.md"
    old.write_text("old", encoding="utf-8")
    inside = out / "plan.md"
    inside.symlink_to(old)
    assert flashgroup_process("plan", str(campaign), "-o", str(inside)).returncode == 0
    assert not inside.is_symlink() and inside.read_text(encoding="utf-8").startswith("---\ntitle: ")
    assert old.read_text(encoding="utf-8") == "old"


def test_new_files_get_the_umask_mode_and_replaced_files_keep_theirs(campaign, tmp_path):
    def run(target: Path, mask: int) -> None:
        subprocess.run(
            [*_command(), "plan", str(campaign), "-o", str(target)], check=True, capture_output=True, preexec_fn=lambda: os.umask(mask)
        )

    fresh = tmp_path / "fresh.md"
    run(fresh, 0o022)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    strict = tmp_path / "strict.md"
    run(strict, 0o077)
    assert stat.S_IMODE(strict.stat().st_mode) == 0o600
    fresh.chmod(0o640)
    run(fresh, 0o022)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640


def test_dash_means_standard_output(campaign):
    result = flashgroup_process("plan", str(campaign), "-o", "-", "--format", "json")
    assert result.returncode == 0 and result.stdout.startswith("{")
    assert not Path("-").exists()


def test_a_closed_stdout_is_one_line_and_exit_1(campaign):
    for args in (["plan", str(campaign)], ["timeline", str(campaign)], ["check", str(campaign)], ["example", "retail"], ["rules"]):
        result = subprocess.run(
            [*_command(), *args],
            stdout=None,
            stderr=subprocess.PIPE,
            text=True,
            pass_fds=(),
            close_fds=True,
            preexec_fn=lambda: os.close(1),
        )
        assert result.returncode == 1, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and "standard output is closed" in result.stderr


def test_a_full_stdout_is_one_line_and_exit_1(campaign):
    with open("/dev/full", "wb") as full:
        result = subprocess.run([*_command(), "plan", str(campaign)], stdout=full, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "No space left" in result.stderr


def test_a_write_the_system_refuses_is_an_io_error_exit_1_and_leaves_nothing(campaign, tmp_path):
    # RLIMIT_FSIZE makes the write fail the way a full disk does (EFBIG instead of ENOSPC), for real.
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))

    target = tmp_path / "plan.md"
    result = subprocess.run([*_command(), "plan", str(campaign), "-o", str(target)], capture_output=True, text=True, preexec_fn=limit)
    assert result.returncode == 1 and result.stderr.startswith("flashgroup: error: cannot write") and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == [campaign]


def test_a_broken_stderr_never_turns_a_failure_into_success(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(50):
        (folder / f"bad{i:02}.yml").write_text("name: [\n", encoding="utf-8")
    (folder / "good.yml").write_text(campaign_yaml(), encoding="utf-8")
    out = tmp_path / "out"
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line: every write to stderr fails with EPIPE
    result = subprocess.run([*_command(), "plan", str(folder), "-o", str(out)], stderr=write, stdout=subprocess.PIPE)
    os.close(write)
    assert result.returncode == 1
    assert [p.name for p in out.iterdir()] == ["good.md"]
    closed = subprocess.run(
        [*_command(), "plan", str(folder), "-o", str(tmp_path / "out2")], stderr=subprocess.DEVNULL, preexec_fn=lambda: os.close(2)
    )
    assert closed.returncode == 1 and (tmp_path / "out2" / "good.md").exists()


def test_a_reader_that_leaves_early_is_not_an_error(campaign):
    shell = f"{' '.join(_command())} plan {campaign} | head -1; exit ${{PIPESTATUS[0]}}"
    result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ""


@pytest.mark.parametrize("jobs", ["1", "2"], ids=["one-process", "workers"])
def test_an_interrupt_never_leaves_a_part_file(campaign, tmp_path, jobs):
    """Ctrl-C in the middle of a folder: every file written is whole, no temporary file stays, exit 130. A folder, so
    the run lasts long enough to be interrupted (one campaign is done in a tenth of a second), and SIGINT restored in
    the child: a shell starts background jobs with it ignored, and the test would then interrupt nothing."""
    folder = tmp_path / "campaigns"
    folder.mkdir()
    text = campaign.read_text(encoding="utf-8")
    for i in range(400):
        (folder / f"c{i:03}.yml").write_text(text, encoding="utf-8")
    interrupted = 0
    for run, delay in enumerate((0.3, 0.5, 0.8, 1.2)):
        out = tmp_path / f"out{run}"
        process = subprocess.Popen(
            [*_command(), "plan", str(folder), "-o", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "FLASHGROUP_JOBS": jobs},
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=120)
        assert code in (0, 130), code
        interrupted += code == 130
        written = sorted(out.iterdir()) if out.exists() else []
        assert all(p.suffix == ".md" for p in written), [p.name for p in written]  # no .part file
        for path in written:
            assert path.read_text(encoding="utf-8").rstrip().endswith("```"), path
    assert interrupted  # at least one run was stopped half way
    time.sleep(0.2)
    left = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(folder) not in left  # no worker left behind (a pool replacing a killed worker once left one hanging)


def test_templates_force_never_writes_through_a_symlink(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("keep me", encoding="utf-8")
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "group.rules.zh.j2").symlink_to(secret)
    result = flashgroup_process("templates", str(folder), "--force")
    assert result.returncode == 2 and "symlink" in result.stderr
    assert secret.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["plan", "{c}", "--remind", "99999999999999999"], "0m to 48h"),
        (["plan", "{c}", "--remind", "49h"], "0m to 48h"),
        (["plan", "{c}", "--remind", "-5m"], "0m to 48h"),
        (["check", "{c}", "--now", "0001-01-01"], "1900 to 2200"),
        (["check", "{c}", "--now", "9999-12-31T23:59"], "1900 to 2200"),
        (["check", "{c}", "--now", "2026-13-01"], "ISO 8601"),
    ],
)
def test_options_out_of_range_are_usage_errors_with_the_range(campaign, args, says):
    result = flashgroup_process(*[a.replace("{c}", str(campaign)) for a in args])
    _one_error_line(result, 2, says)
