"""Jinja for the shipped templates, imported without what only compiling or caching templates needs (issue 13).

`import jinja2` runs the package's `__init__`, which imports everything Jinja has: the bytecode cache (and with it
tempfile, shutil, pickle, bz2, lzma), the loaders, the environment. A plan from the wheel runs precompiled
templates: it needs `jinja2.environment` (the Environment and Template classes, which bring the runtime, the filters
and the compiler with them) and the loaders, not the bytecode cache. So when Jinja is not imported yet, the package
module is made from its spec without running `__init__` and `jinja2.environment` is imported under it: about 4 ms and
1 MiB less for a one-campaign plan.

Nothing else changes: the package module gets a PEP 562 `__getattr__` that runs `jinja2/__init__` the first time any
other name of it is asked for (`from jinja2 import TemplateError`, `jinja2.__version__`, a `--templates` run, the run
page), after which it is the package a plain `import jinja2` gives. Only public import machinery is used (find_spec,
module_from_spec, exec_module), and a Jinja whose environment module did import more of the package would only run
`__init__` sooner (tests/test_template_loading.py: same bytes, no bytecode cache module, the same package after).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (issue 13)
if TYPE_CHECKING:
    from typing import Any

PACKAGE = "jinja2"


def environment_class() -> Any:
    """jinja2.environment.Environment; Jinja's `__init__` is left for later when the package is not imported yet."""
    if PACKAGE not in sys.modules:
        try:
            _package_without_init()
            from jinja2.environment import Environment

            return Environment
        except Exception:
            # A Jinja laid out otherwise (its environment module asking the package's __init__ for something): forget
            # the half-made package and import it the plain way.
            for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
                del sys.modules[name]
    from jinja2.environment import Environment

    return Environment


def _package_without_init() -> None:
    import importlib.util

    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return  # not a package from files: the plain import below says what is wrong
    package = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def complete(name: str) -> Any:
        """PEP 562: the first name asked for that is not there yet runs jinja2/__init__ in this very module."""
        delattr(package, "__getattr__")
        try:
            loader.exec_module(package)
        except BaseException:
            sys.modules.pop(PACKAGE, None)  # as a failed import leaves it
            raise
        return getattr(package, name)

    package.__getattr__ = complete  # type: ignore[method-assign]
    sys.modules[PACKAGE] = package
    # environment.py starts with `from . import nodes`: with the submodule already there, that asks nothing of the
    # package's __init__.
    import jinja2.nodes  # noqa: F401


def version() -> str:
    """Jinja's version without running its `__init__` when the package was imported by environment_class(): the
    `__version__ = "..."` line of jinja2/__init__.py; anything else asks the package (which then runs `__init__`)."""
    package = sys.modules.get(PACKAGE)
    if package is not None and "__version__" not in vars(package):
        loader = getattr(package, "__loader__", None)
        try:
            found = version_in(loader.get_source(PACKAGE) or "") if loader is not None else None
        except (ImportError, OSError):
            found = None
        if found is not None:
            return found
    import jinja2

    return str(jinja2.__version__)


def version_in(source: str) -> str | None:
    """The version a package's `__init__` source sets on one plain line (`__version__ = "3.1.6"`), else None."""
    import re

    found = re.findall(r'^__version__ = "([0-9A-Za-z.+-]+)"$', source, re.MULTILINE)
    return str(found[0]) if len(found) == 1 else None
