"""Wheel build hook: compile the shipped templates into Python modules inside the wheel (flashgroup_cli/_compiled), so
no run of an installed flashgroup compiles them and none needs a cache folder for them. Only the wheel target, never
an editable install (a source checkout always compiles from templates/); see flashgroup_cli/template_build.py."""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PrecompiledTemplates(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        spec = importlib.util.spec_from_file_location("flashgroup_template_build", root / "flashgroup_cli" / "template_build.py")
        assert spec is not None and spec.loader is not None
        template_build = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(template_build)
        self._workdir = Path(tempfile.mkdtemp(prefix="flashgroup-templates-"))
        target = self._workdir / template_build.PACKAGE
        template_build.compile_shipped(root / "templates", target)
        build_data["force_include"][str(target)] = f"flashgroup_cli/{template_build.PACKAGE}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        workdir = getattr(self, "_workdir", None)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
