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
