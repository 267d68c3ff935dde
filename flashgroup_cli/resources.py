"""Where the shipped templates and example campaigns are: inside the wheel, or at the top of a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    inside = _PACKAGE / name  # the wheel force-includes templates/ and examples/ here
    return inside if inside.is_dir() else _PACKAGE.parent / name


def templates_dir() -> Path:
    return _shipped("templates")


def examples_dir() -> Path:
    return _shipped("examples")


def example_names() -> list[str]:
    return sorted(p.stem for p in examples_dir().glob("*.yml"))


def example_path(name: str) -> Path | None:
    path = examples_dir() / f"{name.removesuffix('.yml')}.yml"
    return path if path.is_file() else None
