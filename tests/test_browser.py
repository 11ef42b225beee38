"""The built site in headless Debian Chromium: every page loads offline, every chart draws."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(built_wave3):
    root = built_wave3 / "html"
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).is_file(), "Debian chromium is not installed (make test installs it)"
    with sync_playwright() as play:
        context = play.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
        )
        yield context
        context.close()


def _pages(root: Path) -> list[str]:
    # reader pages: not the theme's template fragments under _static/ nor vendored files
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.html")
        if p.relative_to(root).parts[0] not in {"_static", "_vendor"}
    )


def test_every_page_draws_offline(site, browser):
    root, base = site
    pages = _pages(root)
    assert {"index.html", "notebooks/trust.html", "notebooks/methodology.html"} <= set(pages)
    charts_drawn = 0
    for path in pages:
        page = browser.new_page()
        requests, errors, failed = [], [], []
        page.on("request", lambda r, seen=requests: seen.append(r.url))
        page.on("pageerror", lambda e, seen=errors: seen.append(str(e)))
        page.on("response", lambda r, seen=failed: seen.append(r.url) if r.status >= 400 else None)
        page.goto(f"{base}/{path}", wait_until="load")
        charts = page.locator(".wavebook-chart")
        for i in range(charts.count()):
            charts.nth(i).locator("svg, canvas").first.wait_for(timeout=15000)
            charts_drawn += 1
        page.wait_for_load_state("networkidle")
        outside = [u for u in requests if not u.startswith((base, "data:", "blob:"))]
        assert outside == [], f"{path} tried to leave 127.0.0.1: {outside[:3]}"
        assert errors == [], f"{path}: JavaScript errors {errors[:3]}"
        assert failed == [], f"{path}: missing resources {failed[:3]}"
        page.close()
    assert charts_drawn >= 2


def test_chart_spec_holds_aggregates_only(site):
    root, _ = site
    text = (root / "notebooks" / "trust.html").read_text(encoding="utf-8")
    assert "wavebook-chart-spec" in text
    assert "resp_id" not in text
