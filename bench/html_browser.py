"""Headless Chromium for the HTML page's scripts (benchmark, screenshot): Debian's `chromium`,
driven by Playwright, with no network, no first-run work and a fresh profile each time.

Never `playwright install`: the browser is the system one (`tools/setup-test-deps.sh`).
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("REKG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class BrowserMissing(RuntimeError):
    """Chromium or Playwright is not installed."""


@contextmanager
def chromium_context(width: int = 1400, height: int = 900, scale: float = 1) -> Iterator:
    """A Playwright browser context in a fresh profile; every request that is not file:, data:
    or about: aborts and is recorded in `context.blocked`. (The benchmarks and the browser
    tests share it.)"""
    if not Path(CHROMIUM).exists():
        raise BrowserMissing(f"{CHROMIUM} is missing: run tools/setup-test-deps.sh (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BrowserMissing("playwright is not installed (pip install -e '.[test]')") from exc
    with tempfile.TemporaryDirectory(prefix="rekg-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
            viewport={"width": width, "height": height}, device_scale_factor=scale)
        blocked: list[str] = []

        def guard(route):
            url = route.request.url
            if url.startswith(("file:", "data:", "about:")):
                route.continue_()
            else:
                blocked.append(url)
                route.abort()

        context.route("**/*", guard)
        context.blocked = blocked
        try:
            yield context
        finally:
            context.close()
