"""Hypothesis strategies that build hostile campaign files from a valid one (issue 9, item 8), and the property they
must meet: the loader gives a Campaign or a located UserError, and a Campaign renders in every format or gives a
UserError, never another exception. Shared by tests/test_fuzz.py (quick, in CI) and bench/fuzz.py (long runs)."""

from __future__ import annotations

import copy
import re
from datetime import timedelta
from typing import Any

import yaml
from hypothesis import strategies as st

from flashgroup_cli.errors import UserError

from .conftest import BASE

FORMATS = ("md", "json", "csv", "ics", "table", "text", "html")  # cards need a folder: bench/fuzz.py --cli covers it
LOCATED = re.compile(r"^[^\n]+:\d+:\d+: ")

# Paths into the base campaign that mutations aim at (top keys, nested keys, list items), plus keys it does not have.
TARGETS = (
    ("name",),
    ("brand",),
    ("start",),
    ("timezone",),
    ("duration",),
    ("language",),
    ("audience",),
    ("group",),
    ("group", "size"),
    ("group", "name"),
    ("group", "helpers"),
    ("products",),
    ("products", 0),
    ("products", 0, "name"),
    ("products", 0, "price"),
    ("products", 0, "market_price"),
    ("products", 0, "stock"),
    ("products", 0, "criteria"),
    ("tiers",),
    ("tiers", 0, "at"),
    ("tiers", 0, "gift"),
    ("survey",),
    ("survey", "question"),
    ("survey", "options"),
    ("times",),
    ("channels",),
    ("red_envelopes",),
    ("reviews_after_days",),
    ("results",),
    ("quiet_hours",),
    ("currency",),
    ("benefit",),
    ("extension",),
)

_weird_text = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.sampled_from(
        [
            "",
            " ",
            "\n",
            "a\nb",
            "\x1b[2J",
            "\u2028",
            "\u202e",
            "\ufeff",
            "{0}",
            "{n}",
            "{n:>99999}",
            "{n.__class__}",
            "[/]",
            "[link=http://x]x[/link]",
            "=1+1",
            "-1",
            "@SUM(A1)",
            "*x*",
            "<b>x</b>",
            "`x`",
            "```",
            "\\",
            "%s",
            "{{ 7*7 }}",
            "{% for %}",
            "¥" * 200,
            "全角ＡＢＣ１２３",
            "😀" * 50,
            "x" * 2500,
            "2026-12-12 20:00",
            "0001-01-01 00:00",
            "9999-12-31 23:59",
            "2026-03-08 02:30",
            "Asia/Shanghai",
            "../../etc/passwd",
            "America/New_York",
            "30m",
            "99999999h",
            "1.5h",
            "25:61",
            "23:00-07:00",
        ]
    ),
)
# Printable text with the characters each output format treats specially, no control characters: names that load.
_printable = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=60),
    st.text(alphabet="*_`[]()<>#|~!&=+-@;,\\:\"' {}$%^/.年终快闪¥😀ＡＢ", min_size=1, max_size=40),
).map(lambda t: t.replace("{", "(").replace("}", ")").strip() or "x")
_numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0, 1, -1, 2, 5, 6, 119, 120, 121, 500, 501, 10**6, 10**15, 10**16, 2**63]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-1000, max_value=1000).map(float),
)
_scalars = st.one_of(_weird_text, _numbers, st.booleans(), st.none())
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    node = data
    for step in path[:-1]:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            return
    last = path[-1]
    if isinstance(node, dict):
        node[last] = value
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = value


def _deep(depth: int) -> Any:
    value: Any = "x"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


_TEXT_MUTATIONS = (
    (
        "tag",
        lambda text, draw: re.sub(
            r"(stock|price|audience|size): ",
            lambda m: (
                m.group(0)
                + draw(
                    st.sampled_from(
                        [
                            "!!float ",
                            "!!int ",
                            "!!bool ",
                            "!!str ",
                            "!!null ",
                            "!!binary ",
                            "!!python/object:os.system ",
                            "!!timestamp ",
                            "!!set ",
                        ]
                    )
                )
            ),
            text,
            count=1,
        ),
    ),
    (
        "anchor bomb",
        lambda text, draw: (
            "x: &a [1,1,1,1,1,1,1,1,1,1]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nz: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nw: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
            + text
        ),
    ),
    (
        "control byte",
        lambda text, draw: _insert(
            text, draw, draw(st.sampled_from(["\x00", "\x1b", "\x07", "\x7f", "\x85", "\u2028", "\r", "\r\n", "\t", "\ufeff", "\ud7ff"]))
        ),
    ),
    ("truncate", lambda text, draw: text[: draw(st.integers(0, len(text)))]),
    ("duplicate line", lambda text, draw: _duplicate(text, draw)),
    (
        "huge number",
        lambda text, draw: re.sub(
            r"stock: \d+",
            "stock: "
            + draw(
                st.sampled_from(
                    [
                        "9" * 5000,
                        "1.0e+999999",
                        "1e-999999",
                        ".inf",
                        ".nan",
                        "-.inf",
                        "0x7fffffffffffffffff",
                        "1_000_000_000_000_000_000",
                        "0o777777777777777777777",
                    ]
                )
            ),
            text,
            count=1,
        ),
    ),
    ("brace", lambda text, draw: text.replace("{n}", draw(st.sampled_from(["{", "}", "{n", "{0}", "{n!r}", "{n:>99}", "{{n}}"])), 1)),
)


def _insert(text: str, draw: Any, what: str) -> str:
    at = draw(st.integers(0, len(text)))
    return text[:at] + what + text[at:]


def _duplicate(text: str, draw: Any) -> str:
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    index = draw(st.integers(0, len(lines) - 1))
    return "".join(lines[: index + 1] + lines[index:])


@st.composite
def campaign_files(draw: Any) -> str:
    """A campaign file: the valid base, its values mutated (types swapped, odd numbers and texts, deep nesting), then
    maybe its text mutated (tags, alias bombs, control characters, truncation, duplicate keys, huge numbers)."""
    data = copy.deepcopy(BASE)
    if draw(st.integers(0, 2)) == 0:
        # Valid but hostile text where names go: what the outputs must escape (Markdown, CSV, ICS, rich, terminal).
        for path in (("name",), ("brand",), ("products", 0, "name"), ("tiers", 0, "gift"), ("survey", "question"), ("group", "name")):
            if draw(st.booleans()):
                text = draw(_printable)
                _set(data, path, text + "{n}" if path == ("group", "name") else text)
        text = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False)
        return text
    for _ in range(draw(st.integers(0, 4))):
        path = draw(st.sampled_from(TARGETS))
        choice = draw(st.integers(0, 9))
        if choice == 0:
            value: Any = _deep(draw(st.integers(5, 40)))
        elif choice == 1:
            value = draw(st.lists(_scalars, min_size=0, max_size=draw(st.sampled_from([3, 250]))))
        else:
            value = draw(_values)
        _set(data, path, value)
    if draw(st.booleans()):
        data["compress_me"] = None
        data.pop("compress_me")
    text = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False, width=draw(st.sampled_from([80, 10**6])))
    if draw(st.integers(0, 2)) == 0:
        _, mutate = draw(st.sampled_from(_TEXT_MUTATIONS))
        text = mutate(text, draw)
    return text


def run_case(text: str, *, formats: tuple[str, ...] = FORMATS, variants: tuple[bool, ...] = (False, True)) -> str:
    """Load, check and render one file in-process, as `plan` does; returns what happened: `error` (a located
    UserError), or `ok`. Any other exception propagates: that is a bug."""
    from flashgroup_cli.campaign_file import parse_campaign
    from flashgroup_cli.checks import lint
    from flashgroup_cli.emit import render_text
    from flashgroup_cli.pipeline import campaign_document

    try:
        campaign = parse_campaign(text, "fuzz.yml")
    except UserError as exc:
        assert LOCATED.match(str(exc)), str(exc)
        assert "\x1b" not in str(exc)
        assert all(LOCATED.match(line) for line in str(exc).splitlines()), str(exc)
        return "error"
    lint(campaign, now=None)
    for compressed in variants:
        try:
            doc = campaign_document(campaign, compressed=compressed, plan=True)
        except UserError as exc:
            assert exc.located, str(exc)
            return "error"
        for fmt in formats:
            out = render_text(doc, fmt, plan=True, remind=timedelta(minutes=10))
            assert isinstance(out, str) and out
            if fmt == "ics":
                assert "\n" not in out.replace("\r\n", "")
    return "ok"
