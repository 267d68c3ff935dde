"""Issue 9, item 8: hypothesis builds hostile campaign files from a valid one and runs the loader, the checks and every
output format in-process; the property is "a Campaign that renders everywhere, or a located UserError, never another
exception". Kept to a few seconds here; `python bench/fuzz.py --cases 20000` is the long run."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .fuzz_cases import campaign_files, run_case


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], derandomize=True)
@given(campaign_files(), st.booleans())
def test_a_mutated_campaign_file_loads_and_renders_or_is_a_located_error(text, compressed):
    assert run_case(text, variants=(compressed,)) in ("ok", "error")
