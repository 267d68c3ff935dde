"""The golden-file cases: every example, both variants, every format. Regenerate with `python -m tests.update_golden`."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from flashgroup_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = sorted((ROOT / "examples").glob("*.yml"))

# (command, formats); table output is rendered by rich without colours at a fixed width.
COMMANDS = {
    "timeline": ("md", "json", "csv", "table", "text"),
    "plan": ("md", "json", "text"),
}


def cases() -> list[tuple[str, Path, bool, str]]:
    return [
        (command, example, compressed, fmt)
        for command, formats in COMMANDS.items()
        for example in EXAMPLES
        for compressed in (False, True)
        for fmt in formats
    ]


def golden_path(command: str, example: Path, compressed: bool, fmt: str) -> Path:
    variant = "compressed" if compressed else "standard"
    suffix = {"table": "table.txt", "text": "txt"}.get(fmt, fmt)
    return GOLDEN / f"{example.stem}.{command}.{variant}.{suffix}"


def produce(command: str, example: Path, compressed: bool, fmt: str) -> str:
    args = [command, str(example.relative_to(ROOT)), "--format", fmt] + (["--compressed"] if compressed else [])
    result = CliRunner().invoke(app, args, env={"COLUMNS": "160", "NO_COLOR": "1", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    return result.stdout
