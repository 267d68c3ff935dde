"""The shipped templates compiled ahead of time: what the wheel's build hook (hatch_build.py) writes, and the one set of
Jinja options that both it and render.py use, so a template compiled at build time runs exactly like one compiled
at run time.

The build hook loads this file by its path (no package import, no dependency but Jinja), compiles every shipped
template into a Python module under `flashgroup_cli/_compiled/` of the wheel only (never in a source checkout or an
editable install) and records, per template, the SHA-256 of the source it was compiled from. render.py uses a module
only when the template file beside it still has that checksum and Jinja, the options and the filter names are the
ones it was compiled with; anything else compiles from the source, so a precompiled template can never be stale.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any

# Lexer and code generation options of every environment (the sandboxed one for --templates too).
SYNTAX: dict[str, Any] = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": False, "autoescape": False}
# The project's own filters, by name (render.py defines them; a test keeps the two lists equal: add a new filter's name
# here). Each runs when the template renders, never while it compiles (they take the context, so Jinja does not fold
# `{{ 30|span }}` into a constant of one language or currency), which makes compiled code the same whatever the
# language or currency and whatever the filters do. A name that shadows a Jinja filter (say `count`) must be listed,
# or the code compiled here would call it the way Jinja's own is called.
FILTER_NAMES = ("when", "day", "clock", "money", "number", "span", "noun", "rel", "relday", "t", "cap", "count", "vary", "variant", "style")
PACKAGE = "_compiled"  # flashgroup_cli._compiled in the wheel


def fingerprint(filter_names: Iterable[str], jinja_version: str | None = None) -> str:
    """What compiled code depends on besides the template source: Jinja's version (the installed one unless given),
    the options, the filter names."""
    if jinja_version is None:
        import jinja2

        jinja_version = jinja2.__version__
    return hashlib.sha256(repr((jinja_version, sorted(SYNTAX.items()), sorted(filter_names))).encode()).hexdigest()[:16]


def source_digest(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()


def module_name(template: str) -> str:
    return "t_" + template.removesuffix(".j2").replace(".", "_").replace("-", "_")


def compile_shipped(templates: Path, target: Path) -> dict[str, tuple[str, str]]:
    """Compile every `*.j2` of `templates` into `target` (a package: one module per template and an `__init__.py`
    holding the fingerprint and each template's module and source checksum). Returns that table."""
    from jinja2 import Environment, pass_context

    @pass_context
    def at_render_time(context: Any, *args: Any) -> Any:  # only its name and kind matter to the compiler
        raise RuntimeError("a precompiling environment does not render")

    env = Environment(**SYNTAX)
    env.filters.update({name: at_render_time for name in FILTER_NAMES})
    target.mkdir(parents=True, exist_ok=True)
    table: dict[str, tuple[str, str]] = {}
    for path in sorted(templates.glob("*.j2")):
        source = path.read_bytes()
        module = module_name(path.name)
        if module in (m for m, _ in table.values()):
            raise ValueError(f"two templates map to the module {module}")
        code = env.compile(source.decode("utf-8"), path.name, path.name, raw=True, defer_init=True)
        (target / f"{module}.py").write_text(code, encoding="utf-8")
        table[path.name] = (module, source_digest(source))
    lines = [
        '"""Templates compiled when the wheel was built (flashgroup_cli/template_build.py). Generated; do not edit."""',
        "",
        f"FINGERPRINT = {fingerprint(FILTER_NAMES)!r}",
        "TEMPLATES = {",
        *(f"    {name!r}: {entry!r}," for name, entry in sorted(table.items())),
        "}",
        "",
    ]
    (target / "__init__.py").write_text("\n".join(lines), encoding="utf-8")
    return table
