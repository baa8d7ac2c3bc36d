"""gunicorn settings for production: `gunicorn wsgi:app` reads this file from the checkout.

Every value can be changed in the environment (the names below) or on the command line.
"""

import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
# Sync workers: one request at a time each, about one per core.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Longest request allowed (a large XLSX export) before the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
# Replace each worker after this many requests (jittered), so memory cannot creep up. A
# new worker takes about two seconds of CPU to load the app: at 5,000, each worker was
# replaced about every 25 s under the load benchmark's full load. Memory stays flat
# (BENCHMARKS.md).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Logs go to standard error/output, one line each, for the service manager to collect.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# time, client, request line, status, bytes, duration (µs), user agent; no query strings
# or cookies (tokens and personal data must not land in logs).
access_log_format = '%(t)s access %(h)s "%(m)s %(U)s" %(s)s %(B)s %(D)sus "%(a)s"'
