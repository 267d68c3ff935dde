"""Regenerate tests/golden/ from the current code: `python -m tests.update_golden`, then review the diff."""

from __future__ import annotations

import os

from .golden_cases import GOLDEN, ROOT, cases, golden_path, produce


def main() -> None:
    os.chdir(ROOT)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for case in cases():
        path = golden_path(*case)
        path.write_bytes(produce(*case).encode("utf-8"))
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
