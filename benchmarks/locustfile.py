"""The simulated learners of benchmarks/load.py (locust, headless).

Each simulated user signs in as its own benchmark learner (learner0@benchmark.example, …),
then, without pause, does what the scenario in PASSERELLE_SCENARIO says:
  bare    GET / of the bare Flask baseline (benchmarks/bare_app.py)
  floor   the bare page's template behind the app's sign-in (benchmarks/floor_app.py)
  lesson  read lessons
  quiz    start the final assessment of a course and submit ten answers, again and again
  mixed   catalogue, lessons, mark a lesson complete, quiz start and submit (weights 2:6:2:1)
Redirects are not followed, so that each request type is one HTTP request.
PASSERELLE_HOSTS (comma-separated base URLs of the same server) spreads the learners over
several loopback addresses (see benchmarks/_server.py: gunicorn).
"""

import itertools
import os
import random
import re

from locust import task
from locust.contrib.fasthttp import FastHttpUser

SCENARIO = os.environ.get("PASSERELLE_SCENARIO", "mixed")
HOSTS = [host for host in os.environ.get("PASSERELLE_HOSTS", "").split(",") if host]
PASSWORD = "benchmark-password"  # noqa: S105 - the password of the benchmark data set's learners
COURSES = [f"benchmark-{number}" for number in range(1, 6)]
LESSONS = [f"lesson-{module}-{lesson}" for module in range(4) for lesson in range(5)]
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
QUESTION = re.compile(r'type="radio" name="(q\d+)"')
_numbers = itertools.count()


class Learner(FastHttpUser):
    def __init__(self, environment):
        self.number = next(_numbers)
        if HOSTS:
            self.host = HOSTS[self.number % len(HOSTS)]
        super().__init__(environment)

    def on_start(self):
        self.rng = random.Random()  # noqa: S311 - picking pages, not secrets
        if SCENARIO == "bare":
            return
        number = self.number
        page = self.client.get("/sign-in", name="sign in page").text
        response = self.client.post(
            "/sign-in",
            data={"email": f"learner{number}@benchmark.example", "password": PASSWORD,
                  "csrf_token": TOKEN.search(page).group(1)},
            allow_redirects=False, name="sign in",
        )  # fmt: skip
        if response.status_code != 302:
            raise RuntimeError(f"learner{number} could not sign in: {response.status_code}")
        # Sign-in starts a new session: the token for later forms comes from a page of it.
        if SCENARIO == "floor":
            return
        page = self.client.get(f"/courses/{COURSES[0]}/lessons/{LESSONS[0]}", name="lesson").text
        self.token = TOKEN.search(page).group(1)

    def _lesson(self):
        course, lesson = self.rng.choice(COURSES), self.rng.choice(LESSONS)
        self.client.get(f"/courses/{course}/lessons/{lesson}", name="lesson")

    def _catalogue(self):
        self.client.get("/courses", name="catalogue")

    def _complete(self):
        course, lesson = self.rng.choice(COURSES), self.rng.choice(LESSONS)
        self.client.post(
            f"/courses/{course}/lessons/{lesson}/complete", data={"csrf_token": self.token},
            allow_redirects=False, name="mark complete",
        )  # fmt: skip

    def _quiz(self):
        """Start an attempt, read it, submit an answer to each question."""
        course = self.rng.choice(COURSES)
        with self.client.post(
            f"/courses/{course}/quizzes/final/start", data={"csrf_token": self.token},
            allow_redirects=False, name="quiz start", catch_response=True,
        ) as started:  # fmt: skip
            attempt = started.headers.get("Location", "")
            if "/attempts/" not in attempt:
                started.failure(f"no attempt started: {started.status_code} {attempt}")
                return
        page = self.client.get(attempt, name="quiz attempt page").text
        answers = {name: self.rng.choice("01") for name in set(QUESTION.findall(page))}
        with self.client.post(
            attempt, data={"csrf_token": self.token, "action": "submit", **answers},
            allow_redirects=False, name="quiz submit", catch_response=True,
        ) as submitted:  # fmt: skip
            if submitted.status_code != 302 or len(answers) != 10:
                submitted.failure(f"{submitted.status_code}, {len(answers)} answers")

    @task
    def act(self):
        if SCENARIO == "bare":
            self.client.get("/", name="bare page")
        elif SCENARIO == "floor":
            self.client.get("/benchmark-floor", name="signed-in floor")
        elif SCENARIO == "lesson":
            self._lesson()
        elif SCENARIO == "quiz":
            self._quiz()
        else:
            self.rng.choices(
                [self._catalogue, self._lesson, self._complete, self._quiz], [2, 6, 2, 1]
            )[0]()
