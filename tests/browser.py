"""A headless Chromium from the system packages (Debian `chromium` + `chromium-driver`), driven by selenium.

Nothing here downloads a browser: the driver and the browser are the system's, and Selenium Manager is kept offline.
Used by tests/test_page_browser.py and bench/bench_page.py. Where the browser is missing the browser tests skip,
except in CI (CI=true), where a missing browser is a failure: .ci/run installs it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from typing import Any

FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--lang=zh-CN",
)
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}


def chromium_paths() -> tuple[str, str] | None:
    """(browser, driver): FLASHGROUP_CHROMIUM / FLASHGROUP_CHROMEDRIVER, else the system's on PATH."""
    browser = os.environ.get("FLASHGROUP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    driver = os.environ.get("FLASHGROUP_CHROMEDRIVER") or shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if chromium_paths() is None:
        return "no chromium/chromedriver (apt-get install chromium chromium-driver)"
    return None


def launch(profile: str | None = None) -> Any:
    """A headless Chromium with a fresh profile, phone-sized (390×844), logging every network request."""
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager: never look anything up
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    paths = chromium_paths()
    assert paths, missing_reason()
    browser, driver = paths
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile or tempfile.mkdtemp(prefix='flashgroup-chromium-')}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    chrome = webdriver.Chrome(service=Service(driver), options=options)
    chrome.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    chrome.get_log("performance")  # drop what the browser fetched for itself at start-up (its new-tab page)
    return chrome


def requests_made(chrome: Any) -> list[str]:
    """Every URL the browser asked for since the last call (Network.requestWillBeSent in the performance log)."""
    urls = []
    for entry in chrome.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls
