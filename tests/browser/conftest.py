"""Browser fixtures: the app served on a free local port, Debian's Chromium driven by Playwright
at a phone's viewport, and an axe-core audit that every visited page must pass."""

import json
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 640}
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """The test app on 127.0.0.1, in a thread of this process (so caplog sees its logs)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


class Auditor:
    """Runs axe-core on a page and remembers which URLs were audited.

    axe needs timers, which do not run in a page with JavaScript disabled; such a page is
    audited by opening the same URL, with the same cookies, in a JavaScript-enabled twin.
    """

    def __init__(self, page, browser=None):
        self.page = page
        self.browser = browser
        self.audited: set[str] = set()
        self.visited: set[str] = set()
        self.console_errors: list[str] = []
        page.on("framenavigated", self._visited)
        page.on("console", self._console)

    def _visited(self, frame):
        if frame == self.page.main_frame:
            self.visited.add(frame.url.split("#")[0])

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def __call__(self) -> None:
        """Fail on any serious or critical axe-core violation of the current page."""
        self.page.wait_for_load_state("load")
        if self.browser is None:
            results = self._run_axe(self.page)
        else:
            twin_context = self.browser.new_context(
                viewport=PHONE, storage_state=self.page.context.storage_state()
            )
            twin = twin_context.new_page()
            twin.goto(self.page.url)
            results = self._run_axe(twin)
            twin_context.close()
        blocking = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in results["violations"]
            if v["impact"] in BLOCKING_IMPACTS
        ]
        url = self.page.url.split("#")[0]
        assert not blocking, f"accessibility violations on {url}:\n{json.dumps(blocking, indent=1)}"
        self.audited.add(url)

    @staticmethod
    def _run_axe(page) -> dict:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(AXE_SOURCE.read_text())
        return page.evaluate("async () => await axe.run(document)")


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport=PHONE, base_url=live_server, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.audit = Auditor(page)
    yield page
    auditor = page.audit
    context.close()
    unaudited = auditor.visited - auditor.audited - {"about:blank"}
    assert not unaudited, f"pages visited without an accessibility audit: {sorted(unaudited)}"
    assert not auditor.console_errors, f"console errors (CSP?): {auditor.console_errors}"
