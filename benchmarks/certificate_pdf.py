"""Certificate PDF speed: first render and repeated (cached) download.

Budget (DESIGN.md): first request <= 300 ms, repeated <= 20 ms.
Run: .venv/bin/python benchmarks/certificate_pdf.py
"""

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import create_app  # noqa: E402
from app.certificates import pdf  # noqa: E402
from app.certificates.models import Certificate  # noqa: E402
from app.certificates.signing import generate_key_pem  # noqa: E402

LOCALES = ("en", "ar", "zh", "ru")


def sample(index: int) -> Certificate:
    code = f"{index:016d}H"
    titles = {
        "en": "AI foundations for the public service",
        "ar": "أساسيات الذكاء الاصطناعي",
        "zh": "面向公共部门的人工智能基础",
        "ru": "Основы ИИ для государственной службы",
    }
    content = {"version": 1, "code": code, "learner": f"Learner {index} अमित 김민수",
               "course": {"slug": "ai", "titles": titles, "source_language": "en", "hours": "6"},
               "completed_on": "2026-11-25", "issuer": "Passerelle"}  # fmt: skip
    return Certificate(code=code, content=content, completed_on=date(2026, 11, 25))


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    instance = tempfile.mkdtemp(prefix="passerelle-bench-")
    app = create_app({"TESTING": True, "INSTANCE_PATH": instance, "DATABASE_URL": "sqlite://",
                      "CERTIFICATE_SIGNING_KEY": generate_key_pem()})  # fmt: skip
    with app.test_request_context():
        pdf.certificate_pdf(sample(0), "en")  # warm up fonts and templates
        for locale in LOCALES:
            first = [timed(pdf.certificate_pdf, sample(i), locale) for i in range(1, 6)]
            again = [
                timed(pdf.certificate_pdf, sample(i), locale) for i in range(1, 6) for _ in range(4)
            ]
            print(f"{locale}: first render median {statistics.median(first):6.1f} ms "
                  f"(max {max(first):6.1f}); repeated median {statistics.median(again):5.2f} ms "
                  f"(max {max(again):5.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
