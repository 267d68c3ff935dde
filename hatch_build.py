"""Wheel build hook: compile the shipped templates into Python modules inside the wheel (flashgroup_cli/_compiled), so
no run of an installed flashgroup compiles them and none needs a cache folder for them, and render the typer app's
help into flashgroup_cli/_help.py, so `flashgroup --help` prints without importing typer, and read the AD word lists
into flashgroup_cli/_word_lists.py, so a run reads neither the lists nor their expressions, and compile the records'
__init__ methods into flashgroup_cli/_record_inits.py (record_build.py). Only the wheel target, never
an editable install (a source checkout always compiles from templates/ and asks typer for its help); see
flashgroup_cli/template_build.py and flashgroup_cli/help_build.py."""

from __future__ import annotations

import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def _load(root: Path, name: str) -> Any:
    """A module of flashgroup_cli by its path, without importing the package (whose dependencies the build lacks)."""
    spec = importlib.util.spec_from_file_location(f"flashgroup_{name}", root / "flashgroup_cli" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class PrecompiledTemplates(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        template_build = _load(root, "template_build")
        self._workdir = Path(tempfile.mkdtemp(prefix="flashgroup-build-"))
        target = self._workdir / template_build.PACKAGE
        template_build.compile_shipped(root / "templates", target)
        build_data["force_include"][str(target)] = f"flashgroup_cli/{template_build.PACKAGE}"
        help_build = _load(root, "help_build")
        table = help_build.render(root, sys.executable)
        if table is not None:  # None: an older typer with a separate click; `flashgroup --help` then asks typer
            help_module = self._workdir / f"{help_build.MODULE}.py"
            help_build.write_module(table, help_module)
            build_data["force_include"][str(help_module)] = f"flashgroup_cli/{help_build.MODULE}.py"
        word_list_build = _load(root, "word_list_build")
        literals = _load(root, "literals")
        lists_module = self._workdir / f"{word_list_build.MODULE}.py"
        templates, package = root / "templates", root / "flashgroup_cli"
        rows = word_list_build.read_rows(templates, literals.required_literals)  # compiles each: a bad list fails the build
        word_list_build.write_module(rows, word_list_build.checksum(templates, package), lists_module)
        build_data["force_include"][str(lists_module)] = f"flashgroup_cli/{word_list_build.MODULE}.py"
        record_build = _load(root, "record_build")
        inits_module = self._workdir / f"{record_build.MODULE}.py"
        record_build.write_module(record_build.init_sources(package, _load(root, "records")), inits_module)
        build_data["force_include"][str(inits_module)] = f"flashgroup_cli/{record_build.MODULE}.py"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        workdir = getattr(self, "_workdir", None)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
