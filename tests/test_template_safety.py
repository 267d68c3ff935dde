"""Issue 9, item 3 (without the bytecode cache, issue 13's): the `--templates` loader reads only plain files inside the
folder, and a template failing at render time (undefined, wrong type, recursion, range too big, not UTF-8, a loop or
string too big for the render budget) is a located exit-1 error naming the template file and line. Real processes."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from .conftest import campaign_yaml, flashgroup_process

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symlinks, CPU timers and address-space limits")
NAME = "group.rules.zh.j2"  # rendered for every zh plan


@pytest.fixture
def setup(tmp_path: Path):
    campaign = tmp_path / "c.yml"
    campaign.write_text(campaign_yaml(), encoding="utf-8")
    folder = tmp_path / "mine"
    folder.mkdir()
    return campaign, folder


def _plan(campaign: Path, folder: Path):
    return flashgroup_process("plan", str(campaign), "--templates", str(folder), "--format", "md")


def _located_failure(result, folder: Path, line: int | None, *words: str) -> str:
    assert result.returncode == 1, result.stderr
    assert result.stdout == "" and "internal error" not in result.stderr and "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    match = re.match(r"^(.+\.j2):(\d+):1: error: ", first)
    assert match, first
    assert Path(match.group(1)).parent == folder.resolve() or folder.resolve() in Path(match.group(1)).parents
    if line is not None:
        assert int(match.group(2)) == line, first
    for word in words:
        assert word in first, first
    return first


def test_a_symlinked_template_is_refused_and_never_read(setup, tmp_path):
    campaign, folder = setup
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE", encoding="utf-8")
    (folder / NAME).symlink_to(secret)
    result = _plan(campaign, folder)
    _located_failure(result, folder, 1, "symlink")
    assert "TOP-SECRET-LINE" not in result.stdout + result.stderr
    (folder / NAME).unlink()
    (folder / NAME).symlink_to("/etc/passwd")
    assert "root:" not in _plan(campaign, folder).stdout


def test_includes_cannot_leave_the_folder_or_follow_links(setup, tmp_path):
    campaign, folder = setup
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.j2").write_text("OUTSIDE-TEXT", encoding="utf-8")
    (folder / "linked").symlink_to(outside)
    (folder / NAME).write_text('{% include "linked/x.j2" %}\n', encoding="utf-8")
    result = _plan(campaign, folder)
    assert result.returncode == 1 and "OUTSIDE-TEXT" not in result.stdout and "symlink" in result.stderr
    (folder / NAME).write_text('{% include "../outside/x.j2" %}\n', encoding="utf-8")
    result = _plan(campaign, folder)
    assert result.returncode == 1 and "OUTSIDE-TEXT" not in result.stdout and "not found" in result.stderr


@pytest.mark.parametrize(
    ("body", "line", "says"),
    [
        ("ok\n{{ c.no_such_value }}\n", 2, "no attribute"),
        ("ok\nok\n{{ 'abc' | money }}\n", 3, "template error"),
        ("{% macro f(n) %}{{ f(n) }}{% endmacro %}\n{{ f(1) }}\n", None, "recursion"),
        ("ok\n{% for i in range(10**9) %}x{% endfor %}\n", 2, "range"),
        ("{{ 'x' * 10**9 }}\n", 1, "at most"),
        ("{{ c.__class__.__mro__ }}\n", 1, ""),
        ("{% for a in range(99999) %}{% for b in range(99999) %}xxxxxxxxxx{% endfor %}{% endfor %}\n", 1, "budget"),
        ("{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}\n", 1, "budget"),
        ("{% set n = namespace(s='x') %}{% for i in range(40) %}{% set n.s = n.s ~ n.s %}{% endfor %}{{ n.s|length }}\n", 1, "budget"),
        ("{{ 'x' | center(10**9) }}\n", 1, "budget"),
        ("{% if %}\n", 1, "template error"),
    ],
)
def test_render_time_errors_are_located_in_the_template(setup, body, line, says):
    campaign, folder = setup
    (folder / NAME).write_text(body, encoding="utf-8")
    result = _plan(campaign, folder)
    first = _located_failure(result, folder, line, says)
    assert NAME in first


def test_a_template_that_is_not_utf8_is_located_at_its_line(setup):
    campaign, folder = setup
    (folder / NAME).write_bytes("第一行\n第二行\n".encode() + b"\xff\xfe bad\n")
    _located_failure(_plan(campaign, folder), folder, 3, "not UTF-8")


def test_a_fifo_or_huge_file_named_like_a_template_is_refused(setup):
    campaign, folder = setup
    os.mkfifo(folder / NAME)
    _located_failure(_plan(campaign, folder), folder, 1, "not a regular file")
    (folder / NAME).unlink()
    (folder / NAME).write_text("x" * 300_000, encoding="utf-8")
    _located_failure(_plan(campaign, folder), folder, 1, "too large")


def test_a_good_user_template_still_renders(setup):
    campaign, folder = setup
    (folder / NAME).write_text("群规：{{ c.brand }}，{{ range(3)|list|length }}条\n", encoding="utf-8")
    result = _plan(campaign, folder)
    assert result.returncode == 0 and "群规：鲜果铺子，3条" in result.stdout
