"""User text made safe for where it goes: one place for each escaping rule (docs/limits.md, "Text safety").

- Messages (errors, warnings): a user value is quoted with control characters, newlines and line separators escaped
  (`quoted`), and every message line is kept one line (`one_line`), so a value can never forge another
  `FILE:LINE:COL: error:` line or move the cursor of a terminal.
- Terminals: control characters (ESC, BEL, ...) are shown as `\\x1b` (`visible`); rich markup is escaped.
- Markdown: text outside code blocks is backslash-escaped (`md_inline`), so a product named `5斤*2箱` or `<b>` stays
  literal text in every Markdown reader and in pandoc's HTML.
- CSV: a cell starting with `= + - @`, a tab or CR is prefixed with `'`, so spreadsheets show it as text, never run it
  as a formula (`csv_cell`).
- ICS: left to the icalendar library (escaping and folding), with line breaks normalised first (outputs/ics_output).
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, line/paragraph separators, bidirectional overrides and isolates.
# (and the lone surrogates Python uses for the undecodable bytes of a file name: shown as the byte, \xff).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_CONTROL_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in named:
        return named[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the byte that was not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """Newlines, control characters and separators escaped: what a message line may hold."""
    return _CONTROL_OR_NEWLINE.sub(_escape, text)


def lines_safe(text: str) -> str:
    """Every line of a multi-line message made safe, the line breaks between them kept."""
    return "\n".join(one_line(line) for line in text.split("\n"))


def quoted(value: object, limit: int = 60) -> str:
    """A user value in a message: `"text"`, escaped, cut to `limit` characters with `...`."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return '"' + one_line(text).replace('"', '\\"') + '"'


def visible(text: str) -> str:
    """For a terminal: control characters shown as escapes (`\\x1b`), newlines and tabs kept."""
    return _CONTROL.sub(_escape, text)


def rich_text(text: str) -> str:
    """Text for a rich renderable that reads markup: control characters visible and `[` escaped."""
    from rich.markup import escape

    return escape(visible(text))


# `_` inside a word (New_York, 福利_群) can never start emphasis in CommonMark, so it stays as written.
_MD_SPECIAL = re.compile(r"([\\`*{}\[\]<>#|~!&]|(?<!\w)_|_(?!\w))")
_MD_LINE_START = re.compile(r"^(\s*)(?:([-+=>])|(\d+)([.)]))", re.MULTILINE)


def _line_start(match: re.Match[str]) -> str:
    if match.group(2):
        return f"{match.group(1)}\\{match.group(2)}"
    return f"{match.group(1)}{match.group(3)}\\{match.group(4)}"


def md_inline(text: str) -> str:
    """Text outside code blocks in Markdown: its characters read literally (no emphasis, link, raw HTML, heading,
    list, entity, math), by CommonMark's backslash escapes, which every Markdown reader and pandoc honour."""
    return _MD_LINE_START.sub(_line_start, _MD_SPECIAL.sub(r"\\\1", visible(text)))


_MD_NOTE_SPECIAL = re.compile(r"([\\*\[\]<>&~]|(?<!\w)_|_(?!\w))")


def md_note(text: str) -> str:
    """An operator note (template text with user values in it) after its label: the template's own `code` spans stay,
    while emphasis, strikethrough, links, raw HTML and entities cannot come from a product name (`_`, `~` and `*`
    outside code spans are escaped; with an unpaired backtick nothing is code)."""
    parts = visible(text).split("`")
    if len(parts) % 2 == 0:
        return "\\`".join(_MD_NOTE_SPECIAL.sub(r"\\\1", part) for part in parts)
    return "`".join(part if i % 2 else _MD_NOTE_SPECIAL.sub(r"\\\1", part) for i, part in enumerate(parts))


def ics_text(text: str, *, one_line: bool = False) -> str:
    """Text for an iCalendar property value, before the icalendar library escapes and folds it: CRLF and CR become
    LF (escaped as \\n by the library), other control characters (which RFC 5545 forbids) go; a one-line property
    (NAME, SUMMARY, CATEGORIES) gets spaces for its line breaks."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n"))
    return " ".join(text.split("\n")) if one_line else text


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A CSV cell spreadsheets will show as text: a leading `= + - @`, tab or CR gets a `'` before it (OWASP)."""
    return "'" + text if text.startswith(_FORMULA_START) else text
