"""`flashgroup check` and `flashgroup rules` end to end: output, JSON schema, exit codes, many files in one call."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flashgroup_cli.cli import app

from .conftest import EXAMPLES, flashgroup_process

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "checks"
EARLY = "2026-11-01T09:00"  # before the warm-up of every fixture dated December 2026
FINDING = re.compile(
    r"^(?P<file>.+):(?P<line>\d+):(?P<column>\d+): (?:(?P<code>[A-Z]+-\d+) )?(?P<severity>error|warning|info): (?P<rest>.+)$"
)
SUMMARY = re.compile(r"^(\d+) files? checked: (\d+) errors?, (\d+) warnings?, (\d+) info")


def check(*args: str):  # type: ignore[no-untyped-def]
    """`flashgroup check ... --lang en`: the fixtures are Chinese campaigns; these tests read the English words."""
    return runner.invoke(app, ["check", *args, "--lang", "en"])


def summary(stdout: str) -> tuple[int, int, int, int]:
    match = SUMMARY.match(stdout.splitlines()[-1])
    assert match, stdout
    return tuple(int(n) for n in match.groups())  # type: ignore[return-value]


# -- text output and exit codes ------------------------------------------------------------------------------------
def test_clean_file_exits_0_with_a_summary() -> None:
    result = check(str(FIXTURES / "clean.yml"), "--now", EARLY)
    assert result.exit_code == 0
    assert result.stdout == "1 file checked: 0 errors, 0 warnings, 0 info\n"


def test_sel_5_warning_only_exits_0_and_reads_like_a_compiler() -> None:
    path = str(FIXTURES / "sel-5-four-products.yml")
    result = check(path, "--now", EARLY)
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{path}:12:3: SEL-5 warning: 4 products;")
    assert first.endswith(" — keep the 2–3 that meet most criteria")
    assert summary(result.stdout) == (1, 0, 1, 0)


def test_end_1_error_exits_1() -> None:
    result = check(str(FIXTURES / "end-1-extension.yml"), "--now", EARLY)
    assert result.exit_code == 1
    match = FINDING.match(result.stdout.splitlines()[0])
    assert match and match["code"] == "END-1" and match["severity"] == "error" and match["line"] == "29"
    assert summary(result.stdout) == (1, 1, 0, 0)


def test_time_1_uses_the_real_now_by_default() -> None:
    # dst-new-york.yml starts in March 2026, long before any run of this test suite: the real clock says past.
    result = check(str(FIXTURES / "dst-new-york.yml"))
    assert result.exit_code == 1
    assert " TIME-1 error: " in result.stdout


def test_now_is_reproducible_across_the_start_of_dst() -> None:
    path = str(FIXTURES / "dst-new-york.yml")
    naive = check(path, "--now", "2026-03-08T09:30")  # EDT (the clocks went forward at 02:00): still in time
    assert naive.exit_code == 0 and " WU-2 warning: " in naive.stdout
    old_offset = check(path, "--now", "2026-03-08T09:30-05:00")  # the same wall time at EST is an hour later
    assert old_offset.exit_code == 1 and " WU-9 error: " in old_offset.stdout
    utc = check(path, "--now", "2026-03-08T14:01Z")
    assert utc.exit_code == 1 and " WU-9 error: " in utc.stdout


def test_compressed_option_drops_the_wu_2_warning() -> None:
    path = str(FIXTURES / "dst-new-york.yml")
    assert check(path, "--now", "2026-03-08T09:30", "--compressed").stdout.startswith("1 file checked: 0 errors")


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01", "12/10/2026 09:00"])
def test_bad_now_is_a_usage_error(bad: str) -> None:
    result = check(str(FIXTURES / "clean.yml"), "--now", bad)
    assert result.exit_code == 2
    assert "--now must be an ISO 8601 date and time" in result.stderr


def test_unknown_code_in_select_or_ignore_is_a_usage_error() -> None:
    result = check(str(FIXTURES / "clean.yml"), "--select", "GR5")
    assert result.exit_code == 2
    assert "--select: no check has the code 'GR5'; did you mean GR-5?" in result.stderr
    assert check(str(FIXTURES / "clean.yml"), "--ignore", "WU-7").exit_code == 2  # a rule without a check


def test_select_and_ignore_are_repeatable_and_take_comma_lists() -> None:
    paths = [str(FIXTURES / n) for n in ("gr-5-too-few-helpers.yml", "gr-3-group-too-big.yml", "end-1-extension.yml")]
    only_gr = check(*paths, "--now", EARLY, "--select", "GR-3,gr-5")
    assert only_gr.exit_code == 0 and summary(only_gr.stdout) == (3, 0, 2, 0)
    no_gr = check(*paths, "--now", EARLY, "--ignore", "GR-3", "--ignore", "GR-5")
    assert no_gr.exit_code == 1 and summary(no_gr.stdout) == (3, 1, 0, 0)
    family = check(*paths, "--now", EARLY, "--ignore", "END")
    assert family.exit_code == 0 and summary(family.stdout) == (3, 0, 2, 0)


def test_file_checks_ignore_silences_a_rule() -> None:
    result = check(str(FIXTURES / "file-ignores-sel-2.yml"), "--now", EARLY)
    assert result.exit_code == 0 and summary(result.stdout) == (1, 0, 0, 0)


# -- many files and folders ----------------------------------------------------------------------------------------
@pytest.fixture
def campaigns(tmp_path: Path) -> Path:
    """A folder as an operations lead has it: stores in sub-folders, one broken file, one unusable, other files around."""
    root = tmp_path / "campaigns"
    (root / "north").mkdir(parents=True)
    (root / "south" / "deep").mkdir(parents=True)
    (root / ".git").mkdir()
    shutil.copy(FIXTURES / "clean.yml", root / "north" / "a-clean.yml")
    shutil.copy(FIXTURES / "gr-5-too-few-helpers.yml", root / "north" / "b-helpers.yaml")
    shutil.copy(FIXTURES / "end-1-extension.yml", root / "south" / "deep" / "extension.yml")
    shutil.copy(FIXTURES / "sel-5-six-products.yml", root / "south" / "six.yml")
    (root / "south" / "broken.yml").write_text("name: [unclosed\n", encoding="utf-8")
    (root / "notes.txt").write_text("not a campaign", encoding="utf-8")
    shutil.copy(FIXTURES / "end-1-extension.yml", root / ".git" / "hidden.yml")
    return root


def test_folders_are_searched_recursively_and_bad_files_do_not_stop_the_others(campaigns: Path) -> None:
    extra = FIXTURES / "sel-3-no-reference-price.yml"
    result = check(str(campaigns), str(extra), "--now", EARLY)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    files = [FINDING.match(line)["file"] for line in lines[:-1]]  # type: ignore[index]
    assert files == [
        str(campaigns / "north" / "b-helpers.yaml"),
        str(campaigns / "south" / "broken.yml"),
        str(campaigns / "south" / "deep" / "extension.yml"),
        str(campaigns / "south" / "six.yml"),
        str(extra),
    ]
    # 6 files (the clean one included, the hidden and the .txt left out); errors: broken, extension, six products.
    assert summary(result.stdout) == (6, 3, 1, 1)
    six = next(line for line in lines if "six.yml" in line)
    assert FINDING.match(six)["code"] == "SEL-5"  # type: ignore[index]
    broken = next(line for line in lines if "broken.yml" in line)
    assert ": error: YAML syntax error" in broken and FINDING.match(broken)["code"] is None  # type: ignore[index]


def test_a_missing_file_is_reported_as_an_error_and_the_others_still_run(tmp_path: Path) -> None:
    result = check(str(tmp_path / "nope.yml"), str(FIXTURES / "gr-3-group-too-big.yml"), "--now", EARLY)
    assert result.exit_code == 1
    assert f"{tmp_path / 'nope.yml'}:1:1: error: no such file" in result.stdout
    assert " GR-3 warning: " in result.stdout
    assert summary(result.stdout) == (2, 1, 1, 0)


def test_a_file_given_twice_is_checked_once() -> None:
    result = check(str(FIXTURES / "gr-3-group-too-big.yml"), str(FIXTURES / "gr-3-group-too-big.yml"), "--now", EARLY)
    assert summary(result.stdout) == (1, 0, 1, 0)


def test_an_empty_folder_says_so_and_exits_0(tmp_path: Path) -> None:
    result = check(str(tmp_path), "--now", EARLY)
    assert result.exit_code == 0
    assert "no campaign files" in result.stderr
    assert result.stdout == "0 files checked: 0 errors, 0 warnings, 0 info\n"


def test_shipped_examples_are_clean_before_their_warm_up() -> None:
    for example in sorted(EXAMPLES.glob("*.yml")):
        result = check(str(example), "--now", "2026-10-01T09:00")
        assert result.exit_code == 0 and summary(result.stdout) == (1, 0, 0, 0), result.stdout


# -- JSON ------------------------------------------------------------------------------------------------------------
def test_json_output_schema(campaigns: Path) -> None:
    result = check(str(campaigns), "--now", EARLY, "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["schema"] == "flashgroup-check/1"
    assert doc["summary"] == {"files": 5, "errors": 3, "warnings": 1, "info": 0}
    assert [set(f) for f in doc["files"]] == [{"file", "loaded", "errors", "warnings", "info"}] * 5
    assert [f["loaded"] for f in doc["files"]] == [True, True, False, True, False]
    for finding in doc["findings"]:
        assert set(finding) == {"file", "line", "column", "code", "severity", "path", "message", "fix"}
        assert isinstance(finding["line"], int) and isinstance(finding["column"], int)
        assert finding["severity"] in ("error", "warning", "info")
        assert finding["code"] is None or re.fullmatch(r"[A-Z]+-\d+", finding["code"])
    helpers = next(f for f in doc["findings"] if f["code"] == "GR-5")
    assert helpers["path"] == "group.helpers" and helpers["line"] == 10 and helpers["fix"] == "plan 5–10 helpers per group"
    six = next(f for f in doc["findings"] if f["code"] == "SEL-5")
    assert six["severity"] == "error" and six["path"] == "products" and six["fix"] == ""


def test_json_keeps_chinese_readable() -> None:
    result = check(str(FIXTURES / "sel-2-one-criterion.yml"), "--now", EARLY, "--format", "json")
    assert "赣南脐橙" in result.stdout


# -- flashgroup rules ------------------------------------------------------------------------------------------------
METHOD_RULES = [f"SEL-{i}" for i in range(1, 6)] + [f"WU-{i}" for i in range(1, 12)]
METHOD_RULES += [f"GR-{i}" for i in range(1, 15)] + [f"END-{i}" for i in range(1, 6)]


def test_rules_lists_every_rule_in_chinese_by_default() -> None:
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    codes = re.findall(r"^  ([A-Z]+-\d+) ", result.stdout, flags=re.MULTILINE)
    assert codes[: len(METHOD_RULES)] == METHOD_RULES
    assert codes[len(METHOD_RULES) :] == ["AD-1", "AD-2", "AD-3", "AD-4", "TIME-1", "TIME-2", "CHK-1"]
    assert "选品" in result.stdout and "每个群安排 5-10 名水军" in result.stdout


def test_rules_explains_one_rule_in_english() -> None:
    result = runner.invoke(app, ["rules", "gr-5", "--lang", "en"])
    assert result.exit_code == 0
    assert result.stdout.startswith("GR-5 · In the group · warning\n5-10 helpers per group\n")
    for heading in ("What the method says", "Why", "What to do", "What flashgroup check reports"):
        assert f"\n{heading}\n" in result.stdout


def test_rules_speaks_the_campaign_language() -> None:
    result = runner.invoke(app, ["rules", "WU-7", "--campaign", str(EXAMPLES / "apples-en.yml")])
    assert result.exit_code == 0 and "No automatic check" in result.stdout
    result = runner.invoke(app, ["rules", "WU-7", "--campaign", str(EXAMPLES / "orange.yml")])
    assert "这条不做自动检查" in result.stdout


def test_rules_unknown_code_is_a_usage_error() -> None:
    result = runner.invoke(app, ["rules", "GR5"])
    assert result.exit_code == 2 and "did you mean GR-5?" in result.stderr


# -- a real process ----------------------------------------------------------------------------------------------------
def test_check_as_a_real_process(campaigns: Path) -> None:
    result = flashgroup_process("check", str(campaigns), "--now", EARLY, "--lang", "en")
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1].startswith("5 files checked: 3 errors, 1 warning, 0 info")
    clean = flashgroup_process("check", str(FIXTURES / "clean.yml"), "--now", EARLY, "--format", "json", "--lang", "en")
    assert clean.returncode == 0 and json.loads(clean.stdout)["summary"]["errors"] == 0
