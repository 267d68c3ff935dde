"""Golden files: the same campaign and options give the same bytes (issue 2, item 6)."""

from __future__ import annotations

import os

import pytest

from .golden_cases import ROOT, cases, golden_path, produce


@pytest.mark.parametrize("case", cases(), ids=lambda c: f"{c[1].stem}-{c[0]}-{'compressed' if c[2] else 'standard'}-{c[3]}")
def test_output_matches_golden_file(case, monkeypatch):
    monkeypatch.chdir(ROOT)
    expected = golden_path(*case).read_bytes().decode("utf-8") if golden_path(*case).exists() else None
    assert expected is not None, f"missing {golden_path(*case)}: run `python -m tests.update_golden`"
    assert produce(*case) == expected, "output changed: run `python -m tests.update_golden` and review the diff"


def test_every_golden_file_belongs_to_a_case():
    wanted = {golden_path(*case).name for case in cases()}
    present = {p.name for p in (ROOT / "tests" / "golden").iterdir()}
    assert present <= wanted, f"stale golden files: {sorted(present - wanted)}"


def test_output_is_byte_identical_across_runs():
    case = cases()[0]
    os.chdir(ROOT)
    assert produce(*case) == produce(*case)
