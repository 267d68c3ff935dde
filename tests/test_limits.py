"""Issue 9, item 2: what one campaign may expand into is bounded at load time, each limit a located error naming it;
odd YAML tags and numbers are located errors (never exit 70); group names substitute `{n}` only. docs/limits.md."""

from __future__ import annotations

import re
import time

import pytest

from flashgroup_cli.campaign_file import MAX_GROUPS, MAX_NAME, parse_campaign
from flashgroup_cli.errors import CampaignError
from flashgroup_cli.schedule import build_schedule
from flashgroup_cli.yaml_source import MAX_BYTES, MAX_DEPTH, MAX_ITEMS, MAX_TEXT

from .conftest import campaign_yaml

LINE = re.compile(r"^c\.yml:(\d+):(\d+): error: (.+)$")
BASE = campaign_yaml()


def problems(text: str) -> list[str]:
    started = time.process_time()
    with pytest.raises(CampaignError) as caught:
        parse_campaign(text, "c.yml")
    assert time.process_time() - started < 1.0  # CPU time: a slow shared machine does not make this flaky
    lines = str(caught.value).splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines
    return lines


def with_line(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("stock: 300", "stock: !!float inf", "must be a finite number"),
        ("price: 19.9", "price: !!float nan", "must be a finite number"),
        ("price: 19.9", "price: .inf", "must be a finite number"),
        ("price: 19.9", "price: -.inf", "must be a finite number"),
        ("audience: 360", "audience: !!int abc", "is not a valid whole number"),
        ("stock: 300", "stock: !!int", "is not a valid whole number"),
        ("audience: 360", "audience: !!bool maybe", "is not a valid !!bool value"),
        ("stock: 300", "stock: " + "9" * 5000, "number too long"),
        ("stock: 300", "stock: 1.0e+999999", "number out of range"),
        ("price: 19.9", "price: 1.0e-999999", "number out of range"),
        ("price: 19.9", "price: 1.23456789012345678901", "number too precise"),
        ("audience: 360", "audience: 100000000000000000", "number out of range"),
        ("duration: 30m", "duration: 100000000000000000", "number out of range"),
        ("duration: 30m", "duration: 99999999999999m", "must be a duration"),
        ("start: 2026-12-12 20:00", "start: 0001-01-03 20:00", "years 1900 to 2200"),
        ("start: 2026-12-12 20:00", "start: 9999-12-30 20:00", "years 1900 to 2200"),
        ("start: 2026-12-12 20:00", "start: 2201-01-05 20:00", "years 1900 to 2200"),
        ("stock: 300", "stock: !!python/object/apply:os.system [echo]", "YAML tags are not allowed"),
        ("stock: 300", "stock: !!binary aGk=", "YAML tags are not allowed"),
    ],
)
def test_odd_tags_and_numbers_are_located_errors(old, new, says):
    lines = problems(with_line(old, new))
    assert any(says in line for line in lines), lines


def test_limits_on_size_each_named_in_its_message():
    deep = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    cases = [
        (with_line("language: zh", f"language: zh\nchannels: {deep}"), f"more than {MAX_DEPTH} levels"),
        (
            with_line("language: zh", "language: zh\nextension: {" + ", ".join(f"k{i}: 1" for i in range(MAX_ITEMS + 1)) + "}"),
            f"at most {MAX_ITEMS}",
        ),
        (with_line("brand: 鲜果铺子", "brand: " + "x" * (MAX_TEXT + 1)), f"at most {MAX_TEXT}"),
        (with_line("brand: 鲜果铺子", "brand: " + "x" * (MAX_NAME + 1)), f"at most {MAX_NAME}"),
        (with_line("language: zh", "language: zh\n" + "k" * 101 + ": 1"), "key too long"),
        (with_line("audience: 360", "audience: 1000000").replace("size: 120", "size: 2"), f"at most {MAX_GROUPS} groups"),
    ]
    for text, says in cases:
        lines = problems(text)
        assert any(says in line for line in lines), (says, lines)


def test_a_file_above_the_size_limit_or_not_regular_is_refused_before_reading(tmp_path):
    import os

    from flashgroup_cli.campaign_file import load_campaign

    big = tmp_path / "big.yml"
    big.write_bytes(b"# " + b"x" * MAX_BYTES + b"\n")
    with pytest.raises(CampaignError, match="file too large"):
        load_campaign(big)
    fifo = tmp_path / "fifo.yml"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(CampaignError, match="not a regular file"):
        load_campaign(fifo)  # would block forever if it were opened
    assert time.monotonic() - started < 5
    with pytest.raises(CampaignError, match="not a regular file"):
        load_campaign("/dev/zero")


def test_control_characters_and_line_separators_are_located_where_an_editor_shows_them():
    # A raw ESC on line 2: the error points at line 2, column 5 (not 1:1 as YAML's reader said).
    lines = problems("name: x\nbrand\x1b: y\n")
    assert lines[0].startswith("c.yml:2:6: error:") and "U+001B" in lines[0]
    # U+2028 counts as a line break for YAML but not for editors: refused where it stands, lines unshifted.
    lines = problems("name: x\u2028y\nbrand: [\n")
    assert lines[0].startswith("c.yml:1:8: error:") and "U+2028" in lines[0]
    # A lone CR is a line break, as YAML and most editors count it: the YAML error is on line 3.
    lines = problems("name: x\rbrand: y\rstart: [1,\r")
    assert LINE.match(lines[0]).group(1) in ("3", "4")
    # An escaped control character in a quoted value is refused too, shown escaped.
    lines = problems(with_line("brand: 鲜果铺子", 'brand: "a\\e[2Jb"'))
    assert "U+001B" in lines[0] and "\x1b" not in lines[0]


def test_one_line_names_never_hold_a_newline():
    for old, new in (
        ("name: 赣南脐橙年终快闪", 'name: "a\\nBEGIN:VEVENT"'),
        ("name: 赣南脐橙 5斤装", 'name: "x\\nevil.yml:1:1: error: forged"'),
    ):
        lines = problems(with_line(old, new))
        assert any("must be one line" in line and "\\n" in line for line in lines), lines
        assert not any(line.startswith("evil.yml") for line in lines)


@pytest.mark.parametrize("brand", ["{0}", "{x}", "{n.__class__.__mro__}", "{n:>100000}", "%s"])
def test_brand_with_braces_is_literal_text_in_group_names(brand):
    text = campaign_yaml(brand=brand, group={"size": 120})
    campaign = parse_campaign(text)
    names = build_schedule(campaign).groups
    assert names == tuple(f"{brand}福利{n}群" for n in (1, 2, 3))


@pytest.mark.parametrize("name", ["{n:>100000}", "{n.__class__.__mro__}", "G{0}{n}", "{{n}}"])
def test_group_names_hold_only_n(name):
    lines = problems(campaign_yaml(group={"size": 120, "name": name}))
    assert any("group.name: may hold only {n}" in line for line in lines), lines
