"""What the benchmark scripts share: a scratch database (a SQLite file or a PostgreSQL
database dropped afterwards), the `flask` commands that fill it, gunicorn serving the app
on loopback, each worker's memory, and writing results into BENCHMARKS.md."""

import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextmanager
def scratch_database(engine: str, postgres_url: str = DEFAULT_POSTGRES):
    """Yield a DATABASE_URL for an empty database of the engine ("sqlite" or "postgresql")."""
    if engine == "sqlite":
        with tempfile.TemporaryDirectory(prefix="passerelle-bench-") as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"
        return
    name = f"passerelle_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_environment(database_url: str, instance: str) -> dict[str, str]:
    """The environment of a production-like server on plain HTTP on loopback."""
    return {
        **os.environ,
        "FLASK_APP": "app",
        "INSTANCE_PATH": instance,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        # Loopback has no TLS: cookies must travel over plain HTTP here.
        "SESSION_COOKIE_SECURE": "false",
        "REMEMBER_COOKIE_SECURE": "false",
        # Every simulated learner signs in from 127.0.0.1, which the sign-in limit would stop.
        "RATELIMIT_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
        # gunicorn.conf.py logs every request, as in production; to a file, not the screen.
        "GUNICORN_ACCESS_LOG": os.path.join(instance, "access.log"),
    }


def flask(environment: dict[str, str], *args: str) -> str:
    """Run a `flask` command against the scratch instance; its output."""
    result = subprocess.run(
        [str(BIN / "flask"), *args], env=environment, cwd=ROOT, check=True,
        capture_output=True, text=True,
    )  # fmt: skip
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def loopback_urls(base: str, count: int) -> list[str]:
    """The URLs of a server that `gunicorn(..., addresses=count)` started at `base`."""
    port = base.rsplit(":", 1)[1]
    return [f"http://127.0.0.{number}:{port}" for number in range(1, count + 1)]


@contextmanager
def gunicorn(
    environment: dict[str, str], target: str = "wsgi:app", workers: int = 2, addresses: int = 1
):
    """Serve `target` with gunicorn (sync workers) on loopback; yield (base URL, process).

    Sync workers close every connection, and the closing side keeps it in TIME_WAIT for a
    minute: over about 28,000 connections a minute to one address and port, new ones are
    refused. `addresses` binds 127.0.0.1, 127.0.0.2, … on the same port, each with its
    own supply (see loopback_urls).
    """
    port = free_port()
    binds = [arg for url in loopback_urls(f"x:{port}", addresses)
             for arg in ("--bind", url.removeprefix("http://"))]  # fmt: skip
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", str(workers), *binds,
         "--log-level", "warning", "--pythonpath", str(ROOT / "benchmarks"), target],
        env=environment, cwd=ROOT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2):  # noqa: S310 - loopback
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"gunicorn did not answer on {base}")
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def worker_memory_mb(process: subprocess.Popen) -> list[float]:
    """Resident memory (RSS, MB) of each worker of a gunicorn master."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return sizes


def machine() -> str:
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    memory = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    return (
        f"{os.cpu_count()} cores ({cpu.group(1).strip() if cpu else platform.machine()}), "
        f"{int(memory.group(1)) / 1024 / 1024:.0f} GB, Python {platform.python_version()}"
    )


def write_section(name: str, body: str) -> None:
    """Replace (or append) the section `name` of BENCHMARKS.md, dated, with the machine."""
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    section = (
        f"<!-- {name}: written by benchmarks/, do not edit by hand -->\n"
        f"_Measured {date.today().isoformat()} on {machine()}._\n\n{body.strip()}\n"
        f"<!-- end {name} -->"
    )
    pattern = re.compile(rf"<!-- {re.escape(name)}: .*?<!-- end {re.escape(name)} -->", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _match: section, text)
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.write_text(text)
