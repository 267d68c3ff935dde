"""Value records (frozen by default) without the `dataclasses` module.

Why not `@dataclass`: every command builds the model at start-up, and `dataclasses` costs a one-campaign run about a
fifth of its time: it imports `inspect` (and with it `ast`, `dis`, `tokenize`), compiles five or six methods per class
and asks `inspect.signature` for a docstring (issue 13). A record here compiles one `__init__` per class; equality,
ordering, hashing and `repr` are shared functions over the field names. The semantics are the dataclass ones the
project uses: fields in annotation order, defaults and `field(default_factory=..., compare=..., repr=...)`, frozen
instances, `order=True`, `replace()`. mypy reads `record` as a dataclass through `dataclass_transform` (PEP 681).
From the wheel, the `__init__` methods come compiled (record_build.py): compiling them here was 3 ms of every run.
"""

from __future__ import annotations

from operator import attrgetter

TYPE_CHECKING = False  # mypy treats this name as typing.TYPE_CHECKING; importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    from typing_extensions import dataclass_transform  # in typing from 3.11; typer installs typing_extensions

    _T = TypeVar("_T")
else:

    def dataclass_transform(**_options):
        return lambda decorator: decorator


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record (as `dataclasses.FrozenInstanceError`)."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class _Field:
    __slots__ = ("name", "default", "default_factory", "compare", "repr")

    def __init__(self, default: Any, default_factory: Callable[[], Any] | None, compare: bool, repr: bool) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.compare = compare
        self.repr = repr


def field(*, default: Any = MISSING, default_factory: Callable[[], Any] | None = None, compare: bool = True, repr: bool = True) -> Any:
    """A field's options, as `dataclasses.field`: a default or a factory for one, and whether it takes part in
    equality, ordering and hashing (`compare`) and in `repr`."""
    if default is not MISSING and default_factory is not None:
        raise ValueError("field() takes a default or a default_factory, not both")
    return _Field(default, default_factory, compare, repr)


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: Any = None, /, *, frozen: bool = True, order: bool = False) -> Any:
    """Make `cls` a record: `@record` (frozen) or `@record(frozen=False)`, `@record(order=True)`."""

    def make(cls: type[_T]) -> type[_T]:
        return _make_record(cls, frozen, order)

    return make if cls is None else make(cls)


def _fields_of(cls: type) -> list[_Field]:
    fields = []
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
            continue
        value = cls.__dict__.get(name, MISSING)
        spec = value if isinstance(value, _Field) else _Field(value, None, True, True)
        spec.name = name
        if spec.default is MISSING:
            if isinstance(value, _Field):
                delattr(cls, name)  # no class attribute shadows a field without a plain default
        else:
            setattr(cls, name, spec.default)
        fields.append(spec)
    return fields


def _init_source(fields: list[_Field]) -> str:
    """`__init__` as source: the one method compiled per class, since it runs for every instance."""
    parameters, lines, seen_default = ["self"], ["    _record_values = self.__dict__"], False
    for f in fields:
        if f.name.startswith("_record_") or f.name in ("self", "_MISSING"):
            raise TypeError(f"field name {f.name!r} is reserved for the generated __init__")
        if f.default is not MISSING:
            parameters.append(f"{f.name}=_default_{f.name}")
            seen_default = True
        elif f.default_factory is not None:
            parameters.append(f"{f.name}=_MISSING")
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default field {f.name!r} follows a default field")
        else:
            parameters.append(f.name)
        if f.default_factory is not None:
            lines.append(f"    _record_values[{f.name!r}] = _factory_{f.name}() if {f.name} is _MISSING else {f.name}")
        else:
            lines.append(f"    _record_values[{f.name!r}] = {f.name}")
    return f"def __init__({', '.join(parameters)}):\n" + "\n".join(lines) + "\n"


compiled_here = 0  # classes whose __init__ was compiled in this process (none from a wheel: record_build.py)
_inits: dict[str, bytes] | None = None


def _precompiled(source: str) -> Any:
    """The code of this `__init__` source compiled when the wheel was built (record_build.py), or None: not in the
    table, no table (a source checkout), or a table made by another Python (its marshalled code would not load)."""
    global _inits, compiled_here
    if _inits is None:
        import sys

        try:
            from . import _record_inits  # type: ignore[attr-defined]  # only in the wheel (hatch_build.py)
        except ImportError:
            _inits = {}
        else:
            _inits = _record_inits.CODES if _record_inits.VERSION == sys.version else {}
    blob = _inits.get(source)
    if blob is None:
        compiled_here += 1
        return None
    import marshal

    return marshal.loads(blob)


def _key_getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    if not names:
        return lambda _: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return attrgetter(*names)  # type: ignore[return-value]  # several names: a tuple


def _make_record(cls: type[_T], frozen: bool, order: bool) -> type[_T]:
    fields = _fields_of(cls)
    namespace: dict[str, Any] = {"_MISSING": MISSING}
    for f in fields:
        namespace[f"_default_{f.name}"] = f.default
        namespace[f"_factory_{f.name}"] = f.default_factory
    source = _init_source(fields)
    exec(_precompiled(source) or source, namespace)  # noqa: S102  (source built above from identifiers only)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    key = _key_getter([f.name for f in fields if f.compare])
    shown = [f.name for f in fields if f.repr]

    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{type(self).__qualname__}({inner})"

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    methods: dict[str, Any] = {"__init__": init, "__repr__": __repr__, "__eq__": __eq__}
    methods["__hash__"] = (lambda self: hash(key(self))) if frozen else None
    if frozen:
        methods["__setattr__"] = _refuse_assignment
        methods["__delattr__"] = _refuse_deletion
    if order:
        methods.update(_ordering(key))
    for name, method in methods.items():
        if cls.__dict__.get(name) is not None:
            raise TypeError(f"{cls.__qualname__} defines {name}: a record makes its own")
        setattr(cls, name, method)
    cls.__record_fields__ = tuple(f.name for f in fields)  # type: ignore[attr-defined]
    return cls


def _ordering(key: Callable[[Any], tuple[Any, ...]]) -> dict[str, Callable[[Any, Any], Any]]:
    def compare(test: Callable[[tuple[Any, ...], tuple[Any, ...]], bool]) -> Callable[[Any, Any], Any]:
        def method(self: Any, other: Any) -> Any:
            if other.__class__ is self.__class__:
                return test(key(self), key(other))
            return NotImplemented

        return method

    return {
        "__lt__": compare(lambda a, b: a < b),
        "__le__": compare(lambda a, b: a <= b),
        "__gt__": compare(lambda a, b: a > b),
        "__ge__": compare(lambda a, b: a >= b),
    }


def _refuse_assignment(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_deletion(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def replace(obj: _T, /, **changes: Any) -> _T:
    """A copy of the record `obj` with `changes` (as `dataclasses.replace`, which passes every field to `__init__`:
    records have no `__post_init__`, so copying the fields is the same and three times faster; the sheet makes a
    hundred copies a campaign)."""
    cls = type(obj)
    names = cls.__record_fields__  # type: ignore[attr-defined]
    for name in changes:
        if name not in names:
            raise TypeError(f"{cls.__qualname__} has no field {name!r}")
    copy = object.__new__(cls)
    values = copy.__dict__
    values.update(obj.__dict__)
    values.update(changes)
    return copy
