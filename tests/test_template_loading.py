"""Issue 13 and issue 9 item 3: how templates are compiled and loaded. The shipped templates run outside the sandbox
and, in a wheel, precompiled (never stale: a changed template is compiled from its file); user templates run in the
sandbox; the bytecode cache is used only from a folder and files that no one else can write, and a bad entry is
ignored. Every path gives the same bytes."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jinja2.sandbox import SandboxedEnvironment
from typer.testing import CliRunner

from flashgroup_cli import render
from flashgroup_cli.cli import app
from flashgroup_cli.resources import templates_dir
from flashgroup_cli.template_build import compile_shipped

from .golden_cases import ROOT, cases, golden_path, produce

runner = CliRunner()
FILTERS = render._filters("zh", "¥")
NAME = "group.rules.zh.j2"
PLAN_CASES = [case for case in cases() if case[0] == "plan"]


@pytest.fixture(autouse=True)
def fresh_environments(monkeypatch, tmp_path):
    """Each test builds its own environments, with the cache in its own folder (or none)."""
    monkeypatch.setenv("FLASHGROUP_CACHE_DIR", str(tmp_path / "cache"))
    render.make_environment.cache_clear()
    yield
    render.make_environment.cache_clear()


@pytest.fixture
def precompiled(tmp_path, monkeypatch):
    """The shipped templates compiled the way the wheel's build hook does, as an importable package."""
    folder = tmp_path / "site"
    package = "fg_precompiled_for_test"
    compile_shipped(templates_dir(), folder / package)
    monkeypatch.syspath_prepend(str(folder))
    importlib.invalidate_caches()
    module = importlib.import_module(package)
    monkeypatch.setattr(render, "_precompiled", lambda: module)
    yield module
    for name in [m for m in sys.modules if m == package or m.startswith(f"{package}.")]:
        del sys.modules[name]


def test_shipped_templates_run_outside_the_sandbox_and_user_templates_inside(tmp_path):
    assert not isinstance(render.make_environment("zh"), SandboxedEnvironment)
    assert isinstance(render.make_environment("zh", tmp_path), SandboxedEnvironment)


def test_a_plan_without_user_templates_does_not_load_the_sandbox():
    probe = (
        "import sys\nfrom flashgroup_cli.cli import app\ntry:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('jinja2.sandbox' in sys.modules, 'jinja2' in sys.modules, file=sys.stderr)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, "plan", str(ROOT / "examples" / "retail.yml"), "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "FLASHGROUP_CACHE_DIR": "off"},
    )
    assert proc.returncode == 0 and proc.stderr.strip().splitlines()[-1] == "False True", proc.stderr


def test_user_templates_copied_unchanged_give_the_same_bytes_in_the_sandbox(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    mine = tmp_path / "mine"
    assert runner.invoke(app, ["templates", str(mine)]).exit_code == 0
    for command, example, compressed, fmt in PLAN_CASES[:4]:
        args = [command, str(example.relative_to(ROOT)), "--format", fmt, "--templates", str(mine)] + (
            ["--compressed"] if compressed else []
        )
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert result.stdout == golden_path(command, example, compressed, fmt).read_text(encoding="utf-8")


@pytest.mark.parametrize("case", PLAN_CASES, ids=lambda c: f"{c[1].stem}-{'compressed' if c[2] else 'standard'}-{c[3]}")
def test_precompiled_templates_give_the_golden_bytes(case, precompiled, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert produce(*case) == golden_path(*case).read_text(encoding="utf-8")
    loaded = render.make_environment("en" if "-en" in case[1].stem else "zh").get_template("group.rules.zh.j2")
    assert loaded.filename.endswith(".py") and precompiled.__name__ in loaded.filename  # really the precompiled code


def test_precompiled_code_is_not_shared_between_environments(precompiled):
    """Two currencies, one template: each environment runs it with its own filters."""
    from jinja2 import Environment

    dollars = render.make_environment("en", None, "$")
    yuan = render.make_environment("en", None, "¥")
    assert isinstance(dollars, Environment)
    for env, sign in ((dollars, "$"), (yuan, "¥")):
        template = env.from_string("{{ 5|money }}")
        assert sign in template.render()
    shown = [env.get_template("group.rules.en.j2").environment is env for env in (dollars, yuan)]
    assert shown == [True, True]


def test_a_changed_template_is_compiled_from_its_file_never_served_stale(precompiled, tmp_path, monkeypatch):
    folder = tmp_path / "templates"
    shutil.copytree(templates_dir(), folder)
    monkeypatch.setattr(render, "templates_dir", lambda: folder)
    name = "group.rules.zh.j2"
    assert render.make_environment("zh").get_template(name).filename.endswith(".py")
    render.make_environment.cache_clear()
    (folder / name).write_text("changed {{ 1 + 1 }}\n", encoding="utf-8")
    template = render.make_environment("zh").get_template(name)
    assert template.render() == "changed 2" and template.filename.endswith(".j2")
    assert render.make_environment("zh").get_template("group.close.zh.j2").filename.endswith(".py")  # the others still


def test_a_plan_with_every_template_precompiled_touches_no_cache_folder(precompiled, tmp_path, monkeypatch):
    """Nothing is compiled, so nothing is cached: the first run after install writes only its output."""
    monkeypatch.chdir(ROOT)
    case = PLAN_CASES[0]
    assert produce(*case) == golden_path(*case).read_text(encoding="utf-8")
    assert render.make_environment("zh").bytecode_cache is None
    assert not (tmp_path / "cache").exists()


def test_a_changed_template_of_a_wheel_is_compiled_through_the_cache(precompiled, tmp_path, monkeypatch):
    folder = tmp_path / "templates"
    shutil.copytree(templates_dir(), folder)
    monkeypatch.setattr(render, "templates_dir", lambda: folder)
    (folder / NAME).write_text("changed {{ 1 + 1 }}\n", encoding="utf-8")
    assert render.make_environment("zh").get_template("group.close.zh.j2").filename.endswith(".py")
    assert not (tmp_path / "cache").exists()
    assert render.make_environment("zh").get_template(NAME).render() == "changed 2"
    assert len(cache_entries(tmp_path / "cache")) == 1
    render.make_environment.cache_clear()
    assert render.make_environment("zh").get_template(NAME).render() == "changed 2"  # from the cache entry


def test_precompiled_templates_of_another_jinja_or_options_are_not_used(precompiled, monkeypatch):
    monkeypatch.setattr(precompiled, "FINGERPRINT", "0" * 16)
    assert render.make_environment("zh").get_template("group.rules.zh.j2").filename.endswith(".j2")


def test_the_filters_compiled_ahead_of_time_are_the_filters_of_a_run():
    """A filter added to render._filters needs its name in template_build.FILTER_NAMES (else the wheel's precompiled
    templates are not used)."""
    from flashgroup_cli.template_build import FILTER_NAMES

    for language in ("zh", "en"):
        assert sorted(render._filters(language, "¥")) == sorted(FILTER_NAMES)


def test_the_precompiled_package_lists_every_shipped_template(precompiled):
    shipped = {p.name for p in templates_dir().glob("*.j2")}
    assert set(precompiled.TEMPLATES) == shipped


def test_a_source_checkout_has_no_precompiled_templates():
    """Editable installs and test runs compile from templates/, so an edit there is always what runs."""
    assert not (ROOT / "flashgroup_cli" / "_compiled").exists()
    assert render._precompiled() is None


# The bytecode cache (issue 9 item 3).


def cache_entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("__jinja2_*.cache"))


def rendered() -> str:
    """The group rules of the retail example, rendered as a plan renders them."""
    from flashgroup_cli.campaign_file import load_campaign
    from flashgroup_cli.copy_context import event_context
    from flashgroup_cli.schedule import build_schedule

    campaign = load_campaign(ROOT / "examples" / "retail.yml")
    schedule = build_schedule(campaign)
    writer = render.CopyWriter(campaign, schedule)
    event = next(e for e in schedule.events if render.template_name(e.kind, "zh") == NAME)
    local = event.at.astimezone(campaign.zone) if event.at else None
    return writer.render(NAME, e=event_context(event, local, writer.context))


def test_the_cache_is_written_and_used_from_a_private_folder(tmp_path):
    first = rendered()
    entries = cache_entries(tmp_path / "cache")
    assert entries and all(p.stat().st_mode & 0o022 == 0 for p in entries)
    assert (tmp_path / "cache").stat().st_mode & 0o777 == 0o700
    render.make_environment.cache_clear()
    assert rendered() == first


def test_a_cache_folder_others_can_write_is_not_used(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    cache.chmod(0o777)
    assert render._bytecode_cache("plain", FILTERS) is None
    rendered()
    assert cache_entries(cache) == []
    cache.chmod(0o755)
    assert render._bytecode_cache("plain", FILTERS) is not None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_cache_folder_of_another_user_is_not_used(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    os.chown(cache, 4242, -1)
    assert render._bytecode_cache("plain", FILTERS) is None


def entry_bytes(code: object) -> bytes:
    """A well-formed cache entry for the rules template holding `code` (what a writer of a shared cache could plant)."""
    import io

    env = render.make_environment("zh")
    source, filename, _ = env.loader.get_source(env, NAME)
    bucket = env.bytecode_cache.get_bucket(env, NAME, filename, source)
    bucket.code = code
    out = io.BytesIO()
    bucket.write_bytecode(out)
    return out.getvalue()


def planted_code(text: str) -> object:
    from jinja2 import Environment

    return Environment().compile(text)


def test_a_cache_entry_others_can_write_is_ignored_never_run(tmp_path):
    good = rendered()
    planted = entry_bytes(planted_code("PLANTED"))
    for entry in cache_entries(tmp_path / "cache"):
        entry.write_bytes(planted)
        entry.chmod(0o666)
    render.make_environment.cache_clear()
    assert rendered() == good
    # The check is what protects: the same entry, private, is what a cache is for.
    for entry in cache_entries(tmp_path / "cache"):
        entry.write_bytes(planted)
        entry.chmod(0o600)
    render.make_environment.cache_clear()
    assert rendered() == "PLANTED"


@pytest.mark.parametrize("damage", ["empty", "truncated", "corrupt", "garbage", "not-code"])
def test_a_cache_entry_that_does_not_load_is_ignored(tmp_path, damage):
    good = rendered()
    for entry in cache_entries(tmp_path / "cache"):
        data = entry.read_bytes()
        entry.write_bytes(
            {
                "empty": b"",
                "truncated": data[: len(data) // 2],
                "corrupt": data[:-20] + b"\xff" * 20,
                "garbage": b"\xff" * 200,
                "not-code": entry_bytes(42),
            }[damage]
        )
    render.make_environment.cache_clear()
    assert rendered() == good


def test_a_cache_entry_that_is_a_symlink_is_not_followed(tmp_path):
    good = rendered()
    planted = entry_bytes(planted_code("PLANTED"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for entry in cache_entries(tmp_path / "cache"):
        (elsewhere / entry.name).write_bytes(planted)
        (elsewhere / entry.name).chmod(0o600)
        entry.unlink()
        entry.symlink_to(elsewhere / entry.name)
    render.make_environment.cache_clear()
    assert rendered() == good


def test_the_cache_can_be_turned_off_and_plans_are_the_same(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("FLASHGROUP_CACHE_DIR", "off")
    assert render._bytecode_cache("plain", FILTERS) is None
    case = PLAN_CASES[0]
    assert produce(*case) == golden_path(*case).read_text(encoding="utf-8")
    assert not (tmp_path / "cache").exists()


# Jinja without its bytecode cache module for the precompiled templates (jinja_import.py).

JINJA_PROBE = """
import importlib, json, os, sys
site, package, cache = sys.argv[1:4]
sys.argv = ["flashgroup", *sys.argv[4:]]
os.environ["FLASHGROUP_CACHE_DIR"] = cache
if package:
    sys.path.insert(0, site)
    from flashgroup_cli import render
    compiled = importlib.import_module(package)
    render._precompiled = lambda: compiled
leave = os._exit
def report(code):
    sys.stdout.flush()
    before = sorted(m for m in sys.modules if m.split(".")[0] == "jinja2")
    from jinja2 import FileSystemBytecodeCache, TemplateError  # the package as a plain import gives it
    import jinja2
    from flashgroup_cli.jinja_import import version
    names = sorted(n for n in dir(jinja2) if not n.startswith("_") and type(getattr(jinja2, n)) is not type(jinja2))
    print(json.dumps([before, names, jinja2.__version__, version()]), file=sys.stderr)
    sys.stderr.flush()
    leave(code)
os._exit = report
from flashgroup_cli.fastpath import main
main()
"""


@pytest.mark.parametrize("compiled", [True, False], ids=["precompiled", "compiled-here"])
@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_a_plan_imports_jinja_without_its_bytecode_cache_unless_it_compiles_through_it(compiled, cache, tmp_path):
    """Issue 13: precompiled templates need jinja2.environment, not the bytecode cache module (tempfile, pickle...)
    that jinja2/__init__ imports; the plan is the same bytes and the package, asked for anything more, is the one a
    plain `import jinja2` gives."""
    import jinja2

    package = "fg_precompiled_probe"
    if compiled:
        compile_shipped(templates_dir(), tmp_path / "site" / package)
    example = ROOT / "examples" / "retail.yml"
    proc = subprocess.run(
        [sys.executable, "-c", JINJA_PROBE, str(tmp_path / "site"), package if compiled else "", str(tmp_path / "c") if cache else "off"]
        + ["plan", str(example), "--format", "md"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == golden_path("plan", example, False, "md").read_text(encoding="utf-8")
    before, names, version, read = json.loads(proc.stderr.strip().splitlines()[-1])
    assert "jinja2.environment" in before
    # only a template compiled here, through the cache, needs the cache module
    assert ("jinja2.bccache" in before) == (cache and not compiled)
    assert "jinja2.sandbox" not in before
    plain = sorted(n for n in dir(jinja2) if not n.startswith("_") and type(getattr(jinja2, n)) is not type(jinja2))
    assert names == plain and version == read == jinja2.__version__


def test_jinja_version_is_read_only_from_a_plain_version_line():
    from flashgroup_cli.jinja_import import version_in

    assert version_in('"""Jinja."""\n\n__version__ = "3.1.6"\n') == "3.1.6"
    assert version_in('__version__ = "3.2.0.dev0"\n') == "3.2.0.dev0"
    for source in ('__version__ = version("jinja2")\n', '__version__ = "1"\n__version__ = "2"\n', "", '  __version__ = "3"\n'):
        assert version_in(source) is None, source


def test_a_jinja_that_does_not_import_that_way_is_imported_the_plain_way():
    """If jinja2.environment cannot be imported under the package without its __init__ (another Jinja's layout), the
    half-made package is dropped and Jinja is imported as usual: the plan is the same bytes."""
    probe = (
        "import sys\n"
        "sys.modules['jinja2.nodes'] = None  # importing it fails, as a differently laid out Jinja might\n"
        "from flashgroup_cli.jinja_import import environment_class\n"
        "Environment = environment_class()\n"
        "import jinja2\n"
        "assert Environment is jinja2.Environment and 'jinja2.bccache' in sys.modules, sorted(sys.modules)\n"
        "sys.argv = ['flashgroup', 'plan', sys.argv[1], '--format', 'md']\n"
        "from flashgroup_cli.fastpath import main\n"
        "main()\n"
    )
    example = ROOT / "examples" / "retail.yml"
    proc = subprocess.run([sys.executable, "-c", probe, str(example)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == golden_path("plan", example, False, "md").read_text(encoding="utf-8")


class _Record:
    def __init__(self) -> None:
        self.name = "record"
        self.items = "an attribute called items"

    def __getitem__(self, key: object) -> str:
        return f"item {key}"


class _DictWithAttribute(dict):  # type: ignore[type-arg]
    extra = "class attribute"


def test_the_shipped_environment_looks_up_names_exactly_as_jinja_does():
    """`x.name` in a shipped template (issue 13): a plain dict's items are looked up at once, everything else Jinja's
    way; the value or the undefined it gives is the same as Jinja's own Environment.getattr for every kind of object."""
    from jinja2 import Environment, StrictUndefined

    ours = render.make_environment("zh")
    jinja = Environment(undefined=StrictUndefined)
    objects = [
        {"name": "a dict", "items": "an item called items", "values": 3, "__class__": "x"},
        {},
        _DictWithAttribute(name="subclass", extra="item"),
        _Record(),
        ["a", "list"],
        "a string",
        None,
        3,
    ]
    names = ["name", "items", "values", "get", "keys", "extra", "missing", "__class__", "__dict__", "__len__", "upper", "real"]
    for obj in objects:
        for name in names:
            got, expected = ours.getattr(obj, name), jinja.getattr(obj, name)
            assert type(got) is type(expected), (obj, name)
            if isinstance(expected, StrictUndefined):
                assert (got._undefined_obj, got._undefined_name) == (obj, name)
            else:
                assert got == expected, (obj, name)
