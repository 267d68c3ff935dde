"""Read a campaign file into plain values, remembering where each value stands in the file.

PyYAML's `compose` gives nodes with marks; we build the values ourselves (safe tags only) so that every
value keeps its line and column, aliases cannot expand without bound, and floats become exact Decimals
(19.9 stays 19.9, never 19.900000000000002).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .errors import CampaignError, Location, Problem
from .records import field, record
from .safe_text import quoted

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up (issue 13)
if TYPE_CHECKING:
    from typing import Any

# Generic limits, whatever the key (docs/limits.md): a campaign is a page of text with a few hundred values; these are
# far above any real one and low enough that no file can make the tool run long or eat memory.
MAX_BYTES = 1024 * 1024  # the file: 1 MiB
MAX_VALUES = 20_000  # values after aliases are expanded ("billion laughs")
MAX_DEPTH = 10  # nesting of mappings and lists
MAX_ITEMS = 200  # entries of one list or mapping
MAX_TEXT = 2000  # characters of one text value
MAX_KEY = 100  # characters of one key
MAX_DIGITS = 17  # significant digits of a number (what a float prints with)
MAX_MAGNITUDE = 10**15  # numbers stay below this (money, stock, counts are far smaller)

_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp")}


@record(frozen=False)
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
    """The file's text, or a located error for a missing file, a folder, a device or FIFO, a huge or non-UTF-8 file.

    Only a regular file is read, and at most MAX_BYTES of it (a FIFO would hang, /dev/zero would never end)."""
    import os
    import stat

    here = Location(display, 1, 1)
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise CampaignError([Problem(here, "", "is a folder, not a campaign file")])
        if not stat.S_ISREG(info.st_mode):
            raise CampaignError([Problem(here, "", "is not a regular file (a device, pipe or socket); give a campaign file")])
        if info.st_size > MAX_BYTES:
            raise CampaignError([Problem(here, "", f"file too large for a campaign ({info.st_size} bytes; at most {MAX_BYTES})")])
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise CampaignError([Problem(here, "", "no such file")]) from None
    except OSError as exc:
        raise CampaignError([Problem(here, "", f"cannot read the file ({exc.strerror or exc})")]) from None
    if len(raw) > MAX_BYTES:
        raise CampaignError([Problem(here, "", f"file too large for a campaign (more than {MAX_BYTES} bytes)")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise CampaignError(
            [Problem(Location(display, line, column), "", f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")]
        ) from None
    return text


# Characters no campaign text needs and that move lines or the cursor: C0 controls but tab and newline, DEL, C1
# controls (NEL), line and paragraph separators (YAML counts them as line breaks, editors do not), non-characters.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


# In a value (written escaped in a quoted string, "\u2028"), the separators are text the outputs escape; only control
# characters are refused there.
_FORBIDDEN_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def _line_breaks(text: str) -> str:
    """CRLF and a lone CR (old Mac files) become LF, so lines count the same in YAML, in editors and in messages."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _forbidden(char: str) -> str:
    return f"U+{ord(char):04X}"


def _check_characters(text: str, display: str) -> None:
    found = _FORBIDDEN.search(text)
    if found is None:
        return
    start = found.start()
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    raise CampaignError(
        [
            Problem(
                Location(display, line, column),
                "",
                f"control character {_forbidden(found.group())} in the file; delete it (campaign text never needs one)",
            )
        ]
    )


def load_yaml(text: str, display: str) -> tuple[Any, SourceMap]:
    """Parse YAML text into plain values and their positions; raises CampaignError."""
    import yaml

    source = SourceMap(display)
    text = _line_breaks(text)
    _check_characters(text, display)
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

    def limit(self, node: Any, path: str, message: str) -> None:
        self.problems.append(Problem(self._loc(node), path, message))

    def build(self, node: Any, path: str, active: frozenset[int] = frozenset()) -> Any:
        import yaml

        if len(active) >= MAX_DEPTH:
            self.limit(node, path, f"nested too deep (more than {MAX_DEPTH} levels of mappings and lists)")
            return None

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
        if len(node.value) > MAX_ITEMS:
            self.limit(node, path, f"has {len(node.value)} entries; at most {MAX_ITEMS} in one list or mapping")
            return None
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
            if len(key_node.value) > MAX_KEY:
                self.limit(key_node, path, f"key too long ({len(key_node.value)} characters; at most {MAX_KEY})")
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
        value = node.value
        if tag == _YAML + "str" or tag == _YAML + "timestamp":
            # Dates and times stay text: the campaign loader reads them in the campaign's own zone.
            return self._text(node, path, value)
        if tag in (_YAML + "int", _YAML + "float"):
            return self._number(node, path, value, tag)
        try:
            return self._constructor.construct_object(node)
        except (ValueError, KeyError, IndexError, TypeError, yaml_errors()):
            self.limit(node, path, f"is not a valid {_short_tag(tag)} value (got {quoted(value)})")
            return None

    def _text(self, node: Any, path: str, value: str) -> str | None:
        if len(value) > MAX_TEXT:
            self.limit(node, path, f"text too long ({len(value)} characters; at most {MAX_TEXT})")
            return None
        found = _FORBIDDEN_IN_TEXT.search(value)
        if found:
            self.limit(node, path, f"control character {_forbidden(found.group())} in the text (got {quoted(value)})")
            return None
        return value

    def _number(self, node: Any, path: str, value: str, tag: str) -> Any:
        """Ints and floats within MAX_DIGITS significant digits and below MAX_MAGNITUDE; floats become exact Decimals.
        Infinity, NaN, 5,000-digit integers and 1e999999 are located errors, decided before any big arithmetic."""
        text = value.replace("_", "").strip()
        what = "whole number" if tag == _YAML + "int" else "number"
        if len(text) > 40:
            self.limit(node, path, f"number too long ({len(text)} characters; at most {MAX_DIGITS} digits)")
            return None
        if tag == _YAML + "int":
            try:
                number: Any = self._constructor.construct_object(node)
            except (ValueError, KeyError, IndexError, TypeError, yaml_errors()):
                self.limit(node, path, f"is not a valid {what} (got {quoted(value)})")
                return None
        else:
            try:
                number = Decimal(text)
            except InvalidOperation:
                if text.lower().lstrip("+-") in (".inf", ".nan", "inf", "nan"):
                    self.limit(node, path, f"must be a finite number (got {quoted(value)})")
                else:
                    self.limit(node, path, f"is not a valid {what} (got {quoted(value)})")
                return None
            if not number.is_finite():
                self.limit(node, path, f"must be a finite number (got {quoted(value)})")
                return None
            if number and (number.adjusted() >= 15 or number.adjusted() < -MAX_DIGITS):
                self.limit(node, path, f"number out of range (got {quoted(value)}); numbers are below {MAX_MAGNITUDE:.0e}")
                return None
            if len(number.normalize().as_tuple().digits) > MAX_DIGITS:
                self.limit(node, path, f"number too precise (got {quoted(value)}; at most {MAX_DIGITS} significant digits)")
                return None
            return number
        if isinstance(number, int) and not isinstance(number, bool) and abs(number) >= MAX_MAGNITUDE:
            self.limit(node, path, f"number out of range (got {quoted(value)}); numbers are below {MAX_MAGNITUDE:.0e}")
            return None
        return number


def yaml_errors() -> type[Exception]:
    import yaml

    return yaml.YAMLError


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag
