"""Issue 9, item 5: folders of campaigns read only regular files, say what they skip or cannot read, show odd file names
escaped, and one bad file never stops the others (`check DIR` and `plan DIR -o OUT`). Real processes, real files."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, campaign_yaml, flashgroup_process

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, byte file names")
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "campaigns"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.yml").write_text(campaign_yaml(), encoding="utf-8")
    (folder / "sub" / "UPPER.YML").write_text(campaign_yaml(name="大写后缀"), encoding="utf-8")
    for name in ("tag-int-abc.yml", "number-huge-exponent.yml", "channels-deep.yml", "year-9999.yml"):
        shutil.copy(HOSTILE / name, folder / name)
    os.mkfifo(folder / "fifo.yml")
    return folder


def test_check_reports_every_file_skips_a_fifo_with_a_warning_and_counts_upper_case_suffixes(folder):
    result = flashgroup_process("check", str(folder))  # a FIFO that were opened would hang here
    assert result.returncode == 1
    assert "fifo.yml:1:1: warning: a FIFO, not a campaign file; skipped" in result.stderr
    reported = {Path(line.split(":", 1)[0]).name for line in result.stdout.splitlines() if ": error:" in line or " error:" in line}
    assert {"tag-int-abc.yml", "number-huge-exponent.yml", "channels-deep.yml", "year-9999.yml"} <= reported
    assert "6 files checked" in result.stdout or "检查了6个文件" in result.stdout  # good.yml and sub/UPPER.YML too
    assert "internal error" not in result.stderr


def test_plan_folder_writes_every_good_campaign_whatever_the_bad_ones_do(folder, tmp_path):
    out = tmp_path / "out"
    result = flashgroup_process("plan", str(folder), "-o", str(out))
    assert result.returncode == 1 and "internal error" not in result.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["good.md", "sub/UPPER.md"]
    assert "wrote 2 md files" in result.stderr and "4 failed" in result.stderr


def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path):
    folder = tmp_path / "odd"
    folder.mkdir()
    name = os.fsencode(folder) + b"/bad\xff.yml"
    with open(name, "wb") as handle:
        handle.write(b"name: [\n")
    (folder / "good.yml").write_text(campaign_yaml(), encoding="utf-8")
    result = flashgroup_process("check", str(folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "bad\\xff.yml:2:1: error:" in result.stdout
    out = tmp_path / "out"
    planned = flashgroup_process("plan", str(folder), "-o", str(out))
    assert planned.returncode == 1 and "bad\\xff.yml:2:1: error:" in planned.stderr and (out / "good.md").exists()


def test_devices_and_fifos_given_by_name_are_refused_at_once():
    for path in ("/dev/zero", "/dev/null"):
        result = flashgroup_process("check", path)
        assert result.returncode == 1 and f"{path}:1:1: error: is not a regular file" in result.stdout


def test_an_unreadable_sub_folder_is_an_error_line_and_exit_1():
    """Run as an unprivileged user (root reads any folder; as root, the command is run as `nobody`)."""
    import subprocess
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="flashgroup-locked-"))
    try:
        base.chmod(0o755)
        folder = base / "campaigns"
        locked = folder / "locked"
        locked.mkdir(parents=True)
        (folder / "good.yml").write_text(campaign_yaml(), encoding="utf-8")
        (locked / "c.yml").write_text(campaign_yaml(), encoding="utf-8")
        folder.chmod(0o755)
        (folder / "good.yml").chmod(0o644)
        locked.chmod(0)
        out = base / "out"
        out.mkdir()
        out.chmod(0o777)
        exe = Path(sys.executable).parent / "flashgroup"
        demote = None
        if os.geteuid() == 0:

            def demote() -> None:
                os.setgid(65534)
                os.setuid(65534)

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            env = {**os.environ, "FLASHGROUP_CACHE_DIR": "off", "HOME": str(base)}
            return subprocess.run([str(exe), *args], capture_output=True, text=True, preexec_fn=demote, env=env, timeout=120)

        try:
            result = run("check", str(folder))
        except PermissionError:
            pytest.skip("running as root and the interpreter is not readable by nobody")
        assert result.returncode == 1, result.stderr
        assert "locked:1:1: error: cannot read the folder" in result.stderr and "1 file checked" in result.stdout + "检查了1个文件"
        planned = run("plan", str(folder), "-o", str(out))
        assert planned.returncode == 1 and "cannot read the folder" in planned.stderr and (out / "good.md").exists()
    finally:
        for path in (base / "campaigns" / "locked",):
            if path.exists():
                path.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_a_sub_folder_the_system_cannot_list_is_an_error_line_and_exit_1(tmp_path):
    """A real OS error that holds for root too: a sub-folder whose path is longer than the system allows."""
    folder = tmp_path / "campaigns"
    folder.mkdir()
    (folder / "good.yml").write_text(campaign_yaml(), encoding="utf-8")
    fd = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(18):  # 18 × 250 characters: past PATH_MAX (4096), so listing it fails with ENAMETOOLONG
            os.mkdir("d" * 250, dir_fd=fd)
            inner = os.open("d" * 250, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)
    result = flashgroup_process("check", str(folder))
    assert result.returncode == 1
    assert "error: cannot read the folder (File name too long)" in result.stderr
    assert "1 file checked" in result.stdout or "检查了1个文件" in result.stdout
    out = tmp_path / "out"
    planned = flashgroup_process("plan", str(folder), "-o", str(out))
    assert planned.returncode == 1 and "cannot read the folder" in planned.stderr and (out / "good.md").exists()
