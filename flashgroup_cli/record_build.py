"""The records' `__init__` methods compiled ahead of time into the wheel (issue 13).

records.py compiles one `__init__` per record class from source when its module is imported: about 90 µs a class,
3 ms of every run for the 35 classes a command imports (a sixteenth of a `timeline`). The wheel's build hook
(hatch_build.py) loads this file and records.py by their paths (no package import: the build has none of the
dependencies), reads every `@record` class of the package's source with `ast` (its fields in order, and whether each
has a default or a default factory: all that `__init__`'s source depends on), and writes their compiled code,
marshalled, into `flashgroup_cli/_record_inits.py`, keyed by the very source records.py writes and by the Python
that compiled it. records.py uses an entry only when both match and compiles otherwise: a class read wrongly here, a
changed records.py or another Python costs the compile, never a wrong `__init__` (tests/test_records.py holds that
every class of the package is found; `.ci/run` that the wheel compiles none).
"""

from __future__ import annotations

import ast
import marshal
import sys
from pathlib import Path

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any

MODULE = "_record_inits"  # flashgroup_cli._record_inits in the wheel
FILENAME = "<string>"  # what exec() of the source gives the code: tracebacks stay the same either way


def init_sources(package: Path, records: Any) -> list[str]:
    """The `__init__` source of every `@record` class in the package's modules, as `records._init_source` writes it
    (`records`: the records module, loaded by its path), in file order; a class it cannot read is left out."""
    sources: list[str] = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(_is_record(d) for d in node.decorator_list):
                fields = _fields(node, records)
                if fields is not None:
                    try:
                        sources.append(records._init_source(fields))
                    except TypeError:
                        continue  # a reserved name, a default before a field without one: records.py says so at import
    return list(dict.fromkeys(sources))


def _is_record(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Name) and target.id == "record"


def _fields(node: ast.ClassDef, records: Any) -> list[Any] | None:
    """The class's fields as records._fields_of sees them: each annotated name of its body (ClassVar aside), with a
    stand-in default when it has one, a stand-in factory when `field(default_factory=...)` gives one."""
    fields = []
    for statement in node.body:
        if not isinstance(statement, ast.AnnAssign) or not isinstance(statement.target, ast.Name):
            continue
        if ast.unparse(statement.annotation).startswith(("ClassVar", "typing.ClassVar")):
            continue
        default: Any = records.MISSING
        factory = None
        value = statement.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "field":
            given = {k.arg for k in value.keywords}
            if None in given:
                return None  # field(**options): not readable here
            default = True if "default" in given else records.MISSING
            factory = (lambda: None) if "default_factory" in given else None
        elif value is not None:
            default = True
        spec = records._Field(default, factory, True, True)
        spec.name = statement.target.id
        fields.append(spec)
    return fields


def table(sources: list[str]) -> dict[str, bytes]:
    """Each source's compiled code, marshalled (the format of this very Python)."""
    return {source: marshal.dumps(compile(source, FILENAME, "exec")) for source in sources}


def write_module(sources: list[str], path: Path) -> None:
    path.write_text(
        '"""Made by flashgroup_cli/record_build.py when the wheel was built: the records\' __init__ methods, compiled."""\n\n'
        f"VERSION = {sys.version!r}\n"
        f"CODES = {table(sources)!r}\n",
        encoding="utf-8",
    )
