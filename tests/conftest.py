"""Shared fixtures: a valid base campaign to vary, and helpers to run the CLI in-process and as a real process."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

BASE: dict[str, Any] = {
    "name": "赣南脐橙年终快闪",
    "brand": "鲜果铺子",
    "start": "2026-12-12 20:00",
    "timezone": "Asia/Shanghai",
    "duration": "30m",
    "language": "zh",
    "audience": 360,
    "group": {"size": 120, "name": "鲜果铺子福利{n}群", "helpers": 6},
    "products": [
        {"name": "赣南脐橙 5斤装", "price": 19.9, "market_price": 39.9, "stock": 300, "criteria": ["low_price", "proven_demand"]},
    ],
    "tiers": [{"at": 150, "gift": "每单加赠1斤沃柑"}],
    "survey": {"question": "年终福利，你最想要哪一款？", "options": ["赣南脐橙", "四川丑橘"]},
    "payment": {"method": "小程序", "note": "点群公告里的小程序付款"},
}


def campaign_dict(**overrides: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def campaign_yaml(**overrides: Any) -> str:
    return yaml.safe_dump(campaign_dict(**overrides), allow_unicode=True, sort_keys=False)


@pytest.fixture
def write_campaign(tmp_path: Path):
    def write(text: str | None = None, name: str = "campaign.yml", **overrides: Any) -> Path:
        path = tmp_path / name
        path.write_text(text if text is not None else campaign_yaml(**overrides), encoding="utf-8")
        return path

    return write


def flashgroup_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed console script as a real process (what users and pipes see)."""
    exe = Path(sys.executable).parent / "flashgroup"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "flashgroup_cli"]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([*command, *args], capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=env, timeout=60)
