"""The literal strings a regular expression cannot match without: a fast, sound pre-check for the AD word lists.

`required_literals(source)` reads a pattern and returns sets of strings such that every match of it contains all the
strings of at least one set (None when it cannot tell): `\\bno\\.?\\s?1\\b|#\\s?1\\b` needs "no" and "1", or "#" and "1". A
text that holds none of the sets cannot match, and `str.__contains__` finds that out far faster than the regular
expression itself: the English entries start with `\\b` or a look-behind under IGNORECASE, which keeps Python's engine
from skipping ahead, so each one is tried at every character (issue 13). A set of several strings lets fewer texts
through than one string of it would ("no" alone is in every "not", "now" and "know").

Sound, not complete: anything it does not know for sure (inline flags, back-references, conditionals, unusual
escapes or repetitions) gives None, and the caller then searches with the pattern as before. Only the results are
used, never the engine's internals: the reading is our own small parser over the pattern text.

Case-insensitive entries compare lowered literals with the lowered text. That is exact for every character except
four, which IGNORECASE matches with an ASCII letter but `str.lower()` does not turn into it (İ ı ſ K): a text that
holds one of them is searched in full (tests/test_compliance_fast.py checks the four over every code point).
"""

from __future__ import annotations

import re

# Non-ASCII characters that re.IGNORECASE matches with an ASCII character although their lower case is not it.
UNFOLDABLE = "\u0130\u0131\u017f\u212a"  # İ ı ſ K

_REPEAT = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")
_ESCAPED_CHARS = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_ZERO_WIDTH = set("bBAZ")
_CLASS_ESCAPES = set("dDsSwW")
# At most this many sets for one pattern: the parts of a sequence are combined (each set of one part with each set of
# the next) while the product stays under it, the most selective parts first; a part left out only lets more through.
MOST_SETS = 64

# Sets of strings, every match containing all the strings of one of them; None: nothing known.
Need = frozenset[frozenset[str]] | None


class _Unknown(Exception):
    """A construct the reader does not handle: the pattern gets no pre-check."""


def required_literals(source: str, ignore_case: bool = False) -> frozenset[frozenset[str]] | None:
    """Sets of strings, every match of `source` containing all the strings of at least one set (lowered, and ASCII
    only, when `ignore_case`); None when the pattern is beyond this reader or some match needs no literal at all."""
    try:
        reader = _Reader(source)
        need = reader.alternation()
        if reader.at < len(source):
            raise _Unknown  # an unmatched ")"
    except _Unknown:
        return None
    if not need or any(not strings or not all(strings) for strings in need):
        return None
    if ignore_case:
        if not all(s.isascii() for strings in need for s in strings):
            return None
        need = frozenset(frozenset(s.lower() for s in strings) for strings in need)
    return _simplest(need)


def _simplest(need: frozenset[frozenset[str]]) -> frozenset[frozenset[str]]:
    """The same requirement without what is implied: a string inside another of its set ("best" beside
    "best-seller"), and a set that holds, or holds longer strings containing, all of another set's ("best-seller"
    where "seller" will do)."""
    sets = {frozenset(s for s in strings if not any(t != s and s in t for t in strings)) for strings in need}
    return frozenset(a for a in sets if not any(b != a and all(any(s in t for t in a) for s in b) for b in sets))


def _selectivity(need: frozenset[frozenset[str]]) -> tuple[int, int]:
    """How few texts a requirement lets through, roughly: the longest shortest string first, then the fewest sets."""
    return min(max(len(s) for s in strings) for strings in need), -len(need)


def _all_of(parts: list[frozenset[frozenset[str]]]) -> Need:
    """The requirement of a sequence of parts that are all needed: one set from each, joined, as far as MOST_SETS
    allows (the most selective parts first, the first of them whatever its size; of equal ones, the first)."""
    if not parts:
        return None
    first, *rest = sorted(parts, key=_selectivity, reverse=True)
    need = first
    for part in rest:
        joined = frozenset(a | b for a in need for b in part)
        if len(joined) <= MOST_SETS:
            need = joined
    return need


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.at = 0

    def peek(self, ahead: int = 0) -> str:
        i = self.at + ahead
        return self.source[i] if i < len(self.source) else ""

    def alternation(self) -> Need:
        branches = [self.sequence()]
        while self.peek() == "|":
            self.at += 1
            branches.append(self.sequence())
        if any(b is None for b in branches):
            return None
        return frozenset().union(*branches)  # type: ignore[arg-type]  # one of the branches' sets

    def sequence(self) -> Need:
        needs: list[frozenset[frozenset[str]]] = []
        run: list[str] = []  # consecutive literal characters, each exactly once

        def end_run() -> None:
            if run:
                needs.append(frozenset([frozenset(["".join(run)])]))
                run.clear()

        while self.peek() not in ("", "|", ")"):
            kind, value = self.atom()
            low, _ = self.repeat()
            if kind == "char" and (low, _) == (1, 1):
                run.append(value)  # type: ignore[arg-type]
                continue
            end_run()
            if kind == "char" and low >= 1:
                needs.append(frozenset([frozenset([value])]))  # type: ignore[list-item]
            elif kind == "group" and low >= 1 and value is not None:
                needs.append(value)  # type: ignore[arg-type]
            # a class, a zero-width assertion, or anything that may occur zero times: no literal from it
        end_run()
        return _all_of(needs)

    def repeat(self) -> tuple[int, int | None]:
        """The repetition after an atom: (least, most); (1, 1) when there is none."""
        c = self.peek()
        if c in ("?", "*", "+"):
            self.at += 1
            low, high = {"?": (0, 1), "*": (0, None), "+": (1, None)}[c]
        elif c == "{":
            found = _REPEAT.match(self.source, self.at)
            if not found or (not found[1] and not found[3] and found[2]) or (not found[1] and not found[2]):
                raise _Unknown  # "{", "{,}", "{}": read differently by re versions; not worth the risk
            self.at = found.end()
            low = int(found[1] or 0)
            high = None if found[2] and not found[3] else int(found[3] or found[1])
        else:
            return 1, 1
        if self.peek() in ("?", "+"):
            self.at += 1  # lazy or possessive: the same characters are needed
        if self.peek() in ("?", "*", "+", "{"):
            raise _Unknown  # a repeated repetition
        return low, high

    def atom(self) -> tuple[str, object]:
        """("char", c) for a literal character, ("group", Need) for a group, ("other", None) for a character class
        or a zero-width assertion."""
        c = self.peek()
        self.at += 1
        if c == "(":
            return self.group()
        if c == "[":
            self.character_class()
            return "other", None
        if c == "\\":
            return self.escape()
        if c in (".", "^", "$"):
            return "other", None
        if c in ("*", "+", "?", "{", ")"):
            raise _Unknown  # nothing to repeat, or a "{" re reads as a literal: leave it to re
        return "char", c

    def group(self) -> tuple[str, object]:
        if self.peek() != "?":
            need = self.alternation()  # a capturing group
            self.close()
            return "group", need
        self.at += 1
        c = self.peek()
        if c == ":":
            self.at += 1
            need = self.alternation()
            self.close()
            return "group", need
        if c == "P" and self.peek(1) == "<":
            end = self.source.find(">", self.at)
            if end < 0:
                raise _Unknown
            self.at = end + 1
            need = self.alternation()
            self.close()
            return "group", need
        for lookaround in ("=", "!", "<=", "<!"):
            if self.source.startswith(lookaround, self.at):
                self.at += len(lookaround)
                self.alternation()  # read and dropped: an assertion consumes nothing
                self.close()
                return "other", None
        raise _Unknown  # flags, back-references by name, conditionals, comments, atomic groups

    def close(self) -> None:
        if self.peek() != ")":
            raise _Unknown
        self.at += 1

    def character_class(self) -> None:
        if self.peek() == "^":
            self.at += 1
        if self.peek() == "]":
            self.at += 1  # a "]" first is a literal
        while True:
            c = self.peek()
            if c == "":
                raise _Unknown
            self.at += 1
            if c == "\\":
                self.at += 1
            elif c == "[":
                raise _Unknown  # nested sets are reserved syntax
            elif c == "]":
                return

    def escape(self) -> tuple[str, object]:
        c = self.peek()
        self.at += 1
        if c in _ZERO_WIDTH or c in _CLASS_ESCAPES:
            return "other", None
        if c in _ESCAPED_CHARS:
            return "char", _ESCAPED_CHARS[c]
        if c == "" or c.isalnum() or not c.isascii():
            raise _Unknown  # back-references, \x, \u, \N{...}, octal: not read here
        return "char", c
