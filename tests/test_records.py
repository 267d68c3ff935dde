"""flashgroup_cli.records behaves as the dataclasses it replaced (issue 13: start-up without `dataclasses`)."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from flashgroup_cli.records import FrozenInstanceError, field, record, replace


def _pair(frozen: bool = True, order: bool = False) -> tuple[type, type]:
    """The same class as a record and as a dataclass."""

    def body() -> dict[str, object]:
        return {
            "__annotations__": {"name": "str", "count": "int", "tags": "list[str]", "note": "str", "hidden": "int"},
            "count": 0,
            "tags": None,
            "note": None,
            "hidden": None,
        }

    made = []
    for decorate, spec in (
        (record(frozen=frozen, order=order), field),
        (dataclasses.dataclass(frozen=frozen, order=order), dataclasses.field),
    ):
        namespace = body()
        namespace["tags"] = spec(default_factory=list)
        namespace["note"] = spec(default="", compare=False)
        namespace["hidden"] = spec(default=7, repr=False)
        made.append(decorate(type("Item", (), namespace)))
    return made[0], made[1]


def test_construction_defaults_and_repr_match_dataclasses() -> None:
    mine, theirs = _pair()
    for args, kwargs in [(("a",), {}), (("a", 3), {}), ((), {"name": "b", "tags": ["x"], "note": "n", "hidden": 1})]:
        a, b = mine(*args, **kwargs), theirs(*args, **kwargs)
        assert repr(a) == repr(b)
        assert (a.name, a.count, a.tags, a.note, a.hidden) == (b.name, b.count, b.tags, b.note, b.hidden)
    assert mine("a").tags is not mine("a").tags  # a fresh list per instance, as default_factory
    with pytest.raises(TypeError):
        mine()
    with pytest.raises(TypeError):
        mine("a", nope=1)
    assert mine.count == 0 and mine.note == ""  # plain defaults stay class attributes, as with dataclasses


def test_equality_and_hash_skip_compare_false_fields() -> None:
    mine, _ = _pair()
    assert mine("a", note="x") == mine("a", note="y")
    assert hash(mine("a", note="x", tags=())) == hash(mine("a", note="y", tags=()))
    assert mine("a") != mine("b")
    assert mine("a").__eq__("a") is NotImplemented
    other, _ = _pair()
    assert mine("a") != other("a")  # another class with the same fields is not equal, as with dataclasses


def test_frozen_refuses_assignment_and_mutable_records_are_unhashable() -> None:
    frozen, _ = _pair()
    item = frozen("a")
    with pytest.raises(FrozenInstanceError):
        item.name = "b"
    with pytest.raises(AttributeError):
        del item.name
    mutable, _ = _pair(frozen=False)
    changing = mutable("a")
    changing.count = 5
    assert changing.count == 5
    with pytest.raises(TypeError):
        hash(changing)


def test_order_compares_field_tuples_like_dataclasses() -> None:
    mine, theirs = _pair(order=True)
    values = [("b", 1), ("a", 2), ("a", 1), ("c", 0)]
    assert [(x.name, x.count) for x in sorted(mine(*v) for v in values)] == [(x.name, x.count) for x in sorted(theirs(*v) for v in values)]
    assert mine("a", 1) <= mine("a", 1) < mine("a", 2) and mine("b") > mine("a") >= mine("a")
    with pytest.raises(TypeError):
        _ = mine("a") < theirs("a")


def test_replace_keeps_other_fields_and_refuses_unknown_ones() -> None:
    mine, _ = _pair()
    item = mine("a", 2, ["t"], "n", 3)
    changed = replace(item, count=9)
    assert (changed.name, changed.count, changed.tags, changed.note, changed.hidden) == ("a", 9, ["t"], "n", 3)
    assert item.count == 2
    with pytest.raises(TypeError, match="nope"):
        replace(item, nope=1)


def test_records_pickle_and_copy() -> None:
    from flashgroup_cli.errors import Location

    here = Location("f.yml", 3, 4)
    assert pickle.loads(pickle.dumps(here)) == here
    assert sorted([Location("f", 2, 1), Location("f", 1, 9)]) == [Location("f", 1, 9), Location("f", 2, 1)]


def test_a_field_without_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError, match="follows a default"):

        @record
        class Bad:
            a: int = 1
            b: int


# The __init__ methods compiled when the wheel is built (record_build.py, issue 13)

COLLECT_SOURCES = """
import json, pkgutil, importlib, sys
from flashgroup_cli import records
seen = []
real = records._init_source
records._init_source = lambda fields: seen.append(real(fields)) or seen[-1]
import flashgroup_cli
for module in pkgutil.walk_packages(flashgroup_cli.__path__, "flashgroup_cli."):
    if module.name != "flashgroup_cli.__main__" and not module.name.split(".")[-1].startswith("_"):
        importlib.import_module(module.name)
print(json.dumps(seen))
"""


def test_the_build_reads_the_init_of_every_record_class_of_the_package() -> None:
    """What record_build.py reads from the source with `ast` is exactly what records.py compiles when every module
    is imported: from the wheel, no class compiles its __init__."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    from flashgroup_cli import record_build, records

    package = Path(records.__file__).parent
    made = json.loads(subprocess.run([sys.executable, "-c", COLLECT_SOURCES], capture_output=True, text=True, check=True).stdout)
    assert len(made) >= 40
    assert sorted(set(made)) == sorted(record_build.init_sources(package, records))


def test_a_precompiled_init_is_used_only_from_the_same_python(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    from flashgroup_cli import record_build, records

    def body() -> dict[str, object]:
        return {"__annotations__": {"x": "int", "y": "int", "tags": "list[str]"}, "y": 0, "tags": field(default_factory=list)}

    source = records._init_source(records._fields_of(type("Probe", (), body())))
    for version, used in ((sys.version, True), ("2.7.18 (another Python)", False)):
        table = types.ModuleType("flashgroup_cli._record_inits")
        table.VERSION = version  # type: ignore[attr-defined]
        table.CODES = record_build.table([source])  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "flashgroup_cli._record_inits", table)
        monkeypatch.setattr(records, "_inits", None)
        before = records.compiled_here
        made = record(type("Point", (), body()))
        assert records.compiled_here == before + (0 if used else 1)
        assert made(1) == made(1, 0, []) and made(2, 3, ["a"]).tags == ["a"] and made(1).tags is not made(1).tags
        with pytest.raises(TypeError):
            made()
