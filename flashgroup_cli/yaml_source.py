"""Read a campaign file into plain values, remembering where each value stands in the file.

PyYAML's `compose` gives nodes with marks; we build the values ourselves (safe tags only) so that every
value keeps its line and column, aliases cannot expand without bound, and floats become exact Decimals
(19.9 stays 19.9, never 19.900000000000002).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .errors import CampaignError, Location, Problem

# Alias bombs ("billion laughs") expand a few lines into millions of values; a campaign has a few hundred.
MAX_VALUES = 20_000
MAX_BYTES = 2_000_000

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp")}


@dataclass
class SourceMap:
    """Positions of values ("products[0].stock") and of mapping keys, for located messages."""

    file: str
    values: dict[str, Location] = field(default_factory=dict)
    keys: dict[str, Location] = field(default_factory=dict)

    def at(self, path: str) -> Location:
        """The value's position, or the nearest enclosing one that is known (a missing key: its mapping)."""
        probe = path
        while probe:
            if probe in self.values:
                return self.values[probe]
            probe = _parent(probe)
        return self.values.get("", Location(self.file, 1, 1))

    def key_at(self, path: str) -> Location:
        return self.keys.get(path) or self.at(path)


def _parent(path: str) -> str:
    if path.endswith("]"):
        return path[: path.rindex("[")]
    return path.rpartition(".")[0]


def child_path(parent: str, key: object) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def read_campaign_text(path: Path, display: str) -> str:
    """The file's text, or a located error for a missing file, a folder, a huge or non-UTF-8 file."""
    here = Location(display, 1, 1)
    try:
        if path.is_dir():
            raise CampaignError([Problem(here, "", "is a folder, not a campaign file")])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CampaignError([Problem(here, "", "no such file")]) from None
    except OSError as exc:
        raise CampaignError([Problem(here, "", f"cannot read the file ({exc.strerror or exc})")]) from None
    if len(raw) > MAX_BYTES:
        raise CampaignError([Problem(here, "", f"file too large for a campaign ({len(raw)} bytes)")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise CampaignError(
            [Problem(Location(display, line, column), "", f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")]
        ) from None
    return text


def load_yaml(text: str, display: str) -> tuple[Any, SourceMap]:
    """Parse YAML text into plain values and their positions; raises CampaignError."""
    import yaml

    source = SourceMap(display)
    try:
        # libyaml's parser when present: the same nodes and marks, about 3x faster (it dominates `check` on a folder).
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display, 1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        raise CampaignError([Problem(where, "", f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:
        raise CampaignError([Problem(Location(display, 1, 1), "", f"YAML error: {exc}")]) from None
    if root is None:
        raise CampaignError(
            [Problem(Location(display, 1, 1), "", "the file is empty; a campaign needs at least name, brand, start, products and survey")]
        )
    builder = _Builder(source)
    value = builder.build(root, "")
    if builder.problems:
        raise CampaignError(builder.problems)
    return value, source


class _Builder:
    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.count = 0
        self.too_many = False
        import yaml

        self._constructor = yaml.SafeLoader("")

    def _loc(self, node: Any) -> Location:
        mark = node.start_mark
        return Location(self.source.file, mark.line + 1, mark.column + 1)

    def build(self, node: Any, path: str, active: frozenset[int] = frozenset()) -> Any:
        import yaml

        self.count += 1
        if self.count > MAX_VALUES:
            if not self.too_many:
                self.too_many = True
                self.problems.append(
                    Problem(
                        self._loc(node),
                        path,
                        f"the file expands to more than {MAX_VALUES} values (YAML aliases?); a campaign is much smaller",
                    )
                )
            return None
        if id(node) in active:
            self.problems.append(Problem(self._loc(node), path, "recursive YAML alias"))
            return None
        self.source.values.setdefault(path, self._loc(node))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if node.tag not in (_YAML + "map", _YAML + "seq"):
            self.problems.append(Problem(self._loc(node), path, f"YAML tags are not allowed (found {_short_tag(node.tag)})"))
            return None
        inner = active | {id(node)}
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, child_path(path, i), inner) for i, item in enumerate(node.value)]
        return self._mapping(node, path, inner)

    def _mapping(self, node: Any, path: str, active: frozenset[int]) -> dict[Any, Any]:
        import yaml

        result: dict[Any, Any] = {}
        merged: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _YAML + "merge":
                # `<<: *defaults` — keys written here win over merged ones, as YAML says.
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for src in sources:
                    value = self.build(src, path, active)
                    if isinstance(value, dict):
                        for k, v in value.items():
                            merged.setdefault(k, v)
                    else:
                        self.problems.append(Problem(self._loc(src), path, "`<<` merges only mappings"))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(self._loc(key_node), path, "mapping keys must be plain words"))
                continue
            key = self._scalar(key_node, path)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                key = key_node.value
            sub = child_path(path, str(key))
            if key in result:
                self.problems.append(Problem(self._loc(key_node), sub, "duplicate key (the second one would silently win)"))
                continue
            self.source.keys[sub] = self._loc(key_node)
            result[key] = self.build(value_node, sub, active)
        for k, v in merged.items():
            result.setdefault(k, v)
        return result

    def _scalar(self, node: Any, path: str) -> Any:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            self.problems.append(Problem(self._loc(node), path, f"YAML tags are not allowed (found {_short_tag(tag)})"))
            return None
        if tag == _YAML + "str" or tag == _YAML + "timestamp":
            # Dates and times stay text: the campaign loader reads them in the campaign's own zone.
            return node.value
        if tag == _YAML + "float":
            try:
                return Decimal(node.value.replace("_", ""))
            except InvalidOperation:
                return float(self._constructor.construct_yaml_float(node))
        return self._constructor.construct_object(node)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag
