"""Fault check: PostgreSQL restarts while learners are writing. Nothing acknowledged is lost.

gunicorn (2 workers) serves a PostgreSQL database; 8 learners mark lessons complete one
after another (each lesson once). A lesson counts as acknowledged when the app answered
its POST with the redirect that follows a commit. Two seconds in, the PostgreSQL server
itself is restarted (`pg_ctlcluster … restart`, needs root). The check then reads the
database: every acknowledged lesson must be stored; it prints how many requests failed
during the restart, and fails if any request after the server was back did.

Run (as root, on the machine's own PostgreSQL): .venv/bin/python benchmarks/postgres_restart.py
"""

import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import app_environment, flask, gunicorn, scratch_database  # noqa: E402

LEARNERS = 8
COURSES = [f"benchmark-{number}" for number in range(1, 6)]
LESSONS = [f"lesson-{module}-{lesson}" for module in range(4) for lesson in range(5)]
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Learner(threading.Thread):
    def __init__(self, base: str, number: int, stop: threading.Event):
        super().__init__()
        self.base, self.number, self.stop = base, number, stop
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect()
        )
        self.acknowledged: list[tuple[str, str]] = []
        self.failures: list[tuple[float, str]] = []

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def run(self):
        _status, page = self.request("/sign-in")
        email = f"learner{self.number}@benchmark.example"
        data = {"email": email, "password": "benchmark-password",
                "csrf_token": TOKEN.search(page).group(1)}  # fmt: skip
        status, _page = self.request("/sign-in", data)
        if status != 302:
            raise RuntimeError(f"{email} could not sign in ({status})")
        _status, page = self.request(f"/courses/{COURSES[0]}/lessons/{LESSONS[0]}")
        token = TOKEN.search(page).group(1)
        for course in COURSES:
            for lesson in LESSONS:
                if self.stop.is_set():
                    return
                while not self.stop.is_set():
                    status, _page = self.request(
                        f"/courses/{course}/lessons/{lesson}/complete", {"csrf_token": token}
                    )
                    if status == 302:
                        self.acknowledged.append((course, lesson))
                        break
                    self.failures.append((time.monotonic(), str(status)))
                    time.sleep(0.2)
                time.sleep(0.02)


def restart_postgres() -> tuple[float, float]:
    version = sorted(Path("/etc/postgresql").iterdir())[0].name
    started = time.monotonic()
    command = ["/usr/bin/pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]
    subprocess.run([*command, "restart", "-m", "fast"], check=True)
    return started, time.monotonic()


def stored(url: str, number: int) -> set[tuple[str, str]]:
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT courses.slug, lessons.key FROM lesson_progress "
            "JOIN enrolments ON enrolments.id = lesson_progress.enrolment_id "
            "JOIN users ON users.id = enrolments.user_id "
            "JOIN lessons ON lessons.id = lesson_progress.lesson_id "
            "JOIN courses ON courses.id = lessons.course_id WHERE users.email = %s",
            (f"learner{number}@benchmark.example",),
        ).fetchall()
    return {tuple(row) for row in rows}


def main() -> None:
    with scratch_database("postgresql") as url, tempfile.TemporaryDirectory() as instance:
        environment = app_environment(url, instance)
        flask(environment, "db", "upgrade")
        flask(environment, "lms", "seed-benchmark", "--learners", str(LEARNERS),
              "--enrolments", str(LEARNERS * 5), "--progress", "0", "--attempts", "0")  # fmt: skip
        with gunicorn(environment) as (base, _process):
            stop = threading.Event()
            learners = [Learner(base, number, stop) for number in range(LEARNERS)]
            for learner in learners:
                learner.start()
            time.sleep(2)
            down, up = restart_postgres()
            print(f"PostgreSQL restarted in {up - down:.1f} s")
            time.sleep(3)
            stop.set()
            for learner in learners:
                learner.join()
        acknowledged = sum(len(learner.acknowledged) for learner in learners)
        failures = [failure for learner in learners for failure in learner.failures]
        late = [failure for failure in failures if failure[0] > up + 1]
        lost = 0
        for learner in learners:
            lost += len(set(learner.acknowledged) - stored(url, learner.number))
    print(f"{acknowledged} writes acknowledged, {lost} of them missing from the database")
    statuses = sorted({status for _when, status in failures})
    print(f"{len(failures)} requests refused during the restart (status {', '.join(statuses)}),"
          f" {len(late)} more than one second after the server was back")  # fmt: skip
    if lost or late or not acknowledged:
        raise SystemExit("FAILED")
    print("OK: the app kept answering and lost no acknowledged write")


if __name__ == "__main__":
    main()
