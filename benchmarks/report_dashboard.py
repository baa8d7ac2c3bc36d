"""Completion report on the benchmark data set, on SQLite and PostgreSQL, and export memory.

Budget (DESIGN.md): the report for all courses with every breakdown in <= 500 ms; CSV and
XLSX exports of the learner-progress table stream, memory flat as rows grow.
The data set: 10,000 learners, 5 courses, 50,000 enrolments, 500,000 lesson-progress rows,
100,000 quiz attempts (`flask lms seed-benchmark`). The exports are also measured at
100,000 enrolments.

Run: .venv/bin/python benchmarks/report_dashboard.py [--postgres URL]
(PostgreSQL default: postgresql://postgres@127.0.0.1:5432/postgres; a scratch database is
created and dropped.)
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import create_app  # noqa: E402
from app.accounts import services as accounts  # noqa: E402
from app.extensions import db  # noqa: E402
from app.reports import exports, services  # noqa: E402
from app.reports.seed import seed_benchmark  # noqa: E402

RUNS = 7


def build(url: str, enrolments: int):
    instance = tempfile.mkdtemp(prefix="passerelle-bench-")
    app = create_app({"TESTING": True, "INSTANCE_PATH": instance, "DATABASE_URL": url,
                      "RATELIMIT_ENABLED": False})  # fmt: skip
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        made = seed_benchmark(
            learners=max(10_000, enrolments // 5), enrolments=enrolments,
            progress=500_000, attempts=100_000,
        )  # fmt: skip
        accounts.register_user(
            accounts.Registration(
                "Admin",
                "admin@bench.example",
                "a long benchmark password",
                "KE",
                "en",
                role="admin",
            )  # fmt: skip
        )
        db.session.commit()
        # Table statistics, as a live database has them (autovacuum, PRAGMA optimize)
        # and a freshly bulk-loaded one does not yet.
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        print(f"  data set: {made} in {time.perf_counter() - started:.0f} s")
    return app


def time_dashboard(app) -> list[float]:
    client = app.test_client()
    form = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    response = client.post("/sign-in", data={"email": "admin@bench.example", "csrf_token": token,
                                              "password": "a long benchmark password"})  # fmt: skip
    if response.status_code != 302:
        raise SystemExit(f"could not sign in: {response.status_code}")
    timings = []
    for _run in range(RUNS):
        start = time.perf_counter()
        response = client.get("/reports")
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"the report answered {response.status_code}")
    return timings


def export_peak(app, limit_rows: int | None) -> tuple[int, float]:
    """Rows exported and the peak Python memory (MB) while streaming the learner CSV."""
    with app.test_request_context():
        tracemalloc.start()
        rows = 0
        for chunk in exports.csv_chunks(exports.learner_rows(services.Filters(), None)):
            rows += chunk.count("\n")
            if limit_rows and rows >= limit_rows:
                break
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return rows, peak


def xlsx_peak(app) -> float:
    with app.test_request_context():
        tracemalloc.start()
        size = sum(len(chunk) for chunk in exports.learners_xlsx(
            exports.learner_rows(services.Filters(), None)))  # fmt: skip
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    print(f"  XLSX of the learner table: {size / 1e6:.1f} MB file, peak memory {peak:.1f} MB")
    return peak


def report(name: str, app) -> None:
    timings = time_dashboard(app)
    print(f"  {name}: dashboard (all courses, every breakdown): median "
          f"{statistics.median(timings):.0f} ms, max {max(timings):.0f} ms "
          f"over {RUNS} runs (budget 500 ms)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()

    print("SQLite (file in a temporary instance folder)")
    sqlite_dir = tempfile.mkdtemp(prefix="passerelle-bench-db-")
    app = build(f"sqlite:///{sqlite_dir}/bench.sqlite3", 50_000)
    report("SQLite", app)

    print("Export memory (SQLite, learner table as CSV)")
    for limit in (10_000, 50_000):
        rows, peak = export_peak(app, limit)
        print(f"  {rows:,} rows: peak Python memory {peak:.1f} MB")
    big_dir = tempfile.mkdtemp(prefix="passerelle-bench-db-")
    big = build(f"sqlite:///{big_dir}/big.sqlite3", 100_000)
    rows, peak = export_peak(big, None)
    print(f"  {rows:,} rows: peak Python memory {peak:.1f} MB")
    xlsx_peak(big)

    if not args.skip_postgres:
        name = f"passerelle_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(args.postgres, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        try:
            url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
            print("PostgreSQL")
            app = build(url.replace("postgresql://", "postgresql+psycopg://"), 50_000)
            report("PostgreSQL", app)
            with app.app_context():
                db.engine.dispose()
        finally:
            with psycopg.connect(args.postgres, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
