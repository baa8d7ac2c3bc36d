"""Page weight: what each learner page costs over the network, as a phone's browser sees it.

Budget (DESIGN.md): a learner page, first load, everything it pulls in, compressed <= 40 KB;
the same page again, static files cached, <= 12 KB.

The demo (seed courses and demo accounts, as `make run` has them) is served by gunicorn
with 2 workers on loopback; headless Chromium at 360x640 signs in as the demo learner
(French), enrols, and opens every learner page twice: once with an empty cache and once
more. Bytes are what Chromium received (headers and compressed bodies, from the DevTools
protocol's encodedDataLength).

Run: .venv/bin/python benchmarks/page_weight.py [--write]   (--write updates BENCHMARKS.md)
"""

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import app_environment, flask, gunicorn, scratch_database, write_section  # noqa: E402

FIRST_BUDGET = 40 * 1024
SECOND_BUDGET = 12 * 1024
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
COURSE = "ai-foundations"


class Meter:
    """Counts requests and bytes received by one page through the DevTools protocol."""

    def __init__(self, context, page):
        self.page = page
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.requests: set[str] = set()
        self.received: dict[str, int] = {}
        self.cdp.on(
            "Network.requestWillBeSent", lambda event: self.requests.add(event["requestId"])
        )
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.responseReceived", self._response)
        self.encoding = ""

    def _response(self, event):
        if event["type"] == "Document":
            headers = {name.lower(): value for name, value in event["response"]["headers"].items()}
            self.encoding = headers.get("content-encoding", "none")

    def _finished(self, event):
        self.received[event["requestId"]] = int(event["encodedDataLength"])

    def load(self, url: str, *, empty_cache: bool) -> tuple[int, int, int]:
        """Open url; (bytes received, requests made, requests that reached the network)."""
        if empty_cache:
            self.cdp.send("Network.clearBrowserCache")
        self.requests.clear()
        self.received.clear()
        self.page.goto(url, wait_until="load")
        self.page.wait_for_timeout(300)  # the last loadingFinished events
        if self.page.url != url:
            raise SystemExit(f"{url} led to {self.page.url}: the journey went wrong")
        network = sum(1 for size in self.received.values() if size > 0)
        return sum(self.received.values()), len(self.requests), network

    def weigh(self, name: str, url: str) -> tuple[str, str, int, int, int, int, int]:
        """Open url with an empty cache, then again."""
        first = self.load(url, empty_cache=True)
        second = self.load(url, empty_cache=False)
        return (name, self.encoding, *first, second[0], second[2])


SIGNED_OUT = [
    ("home (signed out)", "/"),
    ("sign in", "/sign-in"),
    ("register", "/register"),
    ("verify a certificate", "/verify"),
    ("catalogue (signed out)", "/courses"),
]


def sign_in_and_start_a_quiz(base: str, page) -> list[tuple[str, str]]:
    """Sign in, enrol and start a quiz; the signed-in learner pages to weigh, by name."""
    page.goto(base + "/sign-in")
    page.fill("input[name=email]", "learner@example.org")
    page.fill("input[name=password]", "passerelle-demo")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(base + "/dashboard")
    page.goto(f"{base}/courses/{COURSE}")
    enrol = page.locator(f"form[action$='/courses/{COURSE}/enrol'] button")
    if enrol.count():
        enrol.first.click()
        page.wait_for_load_state()
    page.goto(f"{base}/courses/{COURSE}")
    lesson = page.locator("a[href*='/lessons/']").first.get_attribute("href")
    quiz = page.locator("a[href*='/quizzes/']").first.get_attribute("href")
    page.goto(base + quiz)
    page.locator("form[action$='/start'] button").first.click()
    page.wait_for_url("**/attempts/*")
    return [
        ("dashboard", base + "/dashboard"),
        ("catalogue", base + "/courses"),
        ("course", f"{base}/courses/{COURSE}"),
        ("lesson", base + lesson),
        ("quiz", base + quiz),
        ("quiz attempt", page.url),
        ("account", base + "/account"),
    ]


def weigh(base: str) -> list[tuple[str, str, int, int, int, int, int]]:
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS
        )
        context = browser.new_context(viewport={"width": 360, "height": 640})
        page = context.new_page()
        meter = Meter(context, page)
        for name, path in SIGNED_OUT:
            rows.append(meter.weigh(name, base + path))
        for name, url in sign_in_and_start_a_quiz(base, page):
            rows.append(meter.weigh(name, url))
        browser.close()
    return rows


def table(rows) -> str:
    lines = [
        "| learner page | page encoding | first load | requests | second load | from network |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for name, encoding, first, requests, _network, second, network_again in rows:
        lines.append(
            f"| {name} | {encoding} | {first / 1024:.1f} KB | {requests} | "
            f"{second / 1024:.1f} KB | {network_again} |"
        )
    worst_first = max(row[2] for row in rows)
    worst_second = max(row[5] for row in rows)
    verdict = (
        f"Heaviest first load {worst_first / 1024:.1f} KB (budget 40 KB), heaviest second "
        f"load {worst_second / 1024:.1f} KB (budget 12 KB): "
        + ("both budgets met." if worst_first <= FIRST_BUDGET and worst_second <= SECOND_BUDGET
           else "OVER BUDGET.")
    )  # fmt: skip
    return "\n".join(lines) + "\n\n" + verdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = parser.parse_args()
    with scratch_database("sqlite") as url, tempfile.TemporaryDirectory() as instance:
        environment = app_environment(url, instance)
        flask(environment, "db", "upgrade")
        flask(environment, "lms", "import-courses")
        flask(environment, "lms", "seed-demo")
        with gunicorn(environment) as (base, _process):
            rows = weigh(base)
    report = table(rows)
    print(report)
    if args.write:
        write_section(
            "page weight",
            "## Page weight\n\n`.venv/bin/python benchmarks/page_weight.py --write`: the demo "
            "served by gunicorn, headless Chromium at 360×640 signed in as the French demo "
            "learner; bytes received (headers and compressed bodies).\n\n" + report,
        )


if __name__ == "__main__":
    main()
