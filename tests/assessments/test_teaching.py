"""Instructors' views of their quizzes: item statistics and the essay marking queue."""

import pytest
from sqlalchemy import select

from app.assessments.models import Attempt, QuizResult
from app.extensions import db
from tests.assessments.test_quizzes import attempt_id, right_answers, start
from tests.conftest import post_form, sign_in

COURSE = "/courses/water-basics"
FINAL = f"{COURSE}/quizzes/final"
ESSAYS = "/teach/courses/water-basics/essays"


@pytest.fixture
def teacher_client(app, create_user, runner, quiz_course):
    user = create_user(role="instructor")
    runner.invoke(args=["lms", "add-instructor", "--course", "water-basics", "--email", user.email])
    client = app.test_client()
    sign_in(client, user)
    return client


def take(app, client, quiz, right: bool):
    location = start(client, quiz)
    answers = right_answers(app, attempt_id(location)) if right else {}
    post_form(client, location, {**answers, "action": "submit"}, token_from=location)
    return location


def learner(app, create_user, name):
    client = app.test_client()
    sign_in(client, create_user(name=name))
    post_form(client, f"{COURSE}/enrol", {}, token_from=COURSE)
    return client


def test_statistics_show_pass_rate_facility_discrimination_and_choices(
    app, create_user, teacher_client
):
    for index, right in enumerate((True, True, False, False)):
        take(app, learner(app, create_user, f"Learner {index}"), f"{COURSE}/quizzes/meters", right)
    page = teacher_client.get("/teach/courses/water-basics/quizzes/meters/statistics").get_data(
        as_text=True
    )
    assert "Graded attempts: 4" in page
    assert "Pass rate: 50%" in page
    assert "Mean score: 50%" in page
    assert "Facility: 50%" in page
    assert "Discrimination: 1.00" in page, "right answers come exactly from the strong attempts"
    assert "chosen 2 times" in page


def test_essays_are_marked_and_the_attempt_then_counts(app, create_user, teacher_client):
    client = learner(app, create_user, "Esi Mensah")
    location = take(app, client, FINAL, right=True)
    queue = teacher_client.get(ESSAYS).get_data(as_text=True)
    assert "Esi Mensah" in queue and "I would compare night and day flow" in queue
    with app.app_context():
        answer_id = db.session.scalar(select(Attempt)).answers[0].id
        essay = next(a for a in db.session.scalar(select(Attempt)).answers if a.fraction is None)
    prefix = f"essay{essay.id}"
    bad = post_form(
        teacher_client, f"{ESSAYS}/{essay.id}", {f"{prefix}-mark": "150"}, token_from=ESSAYS
    )
    assert "Give a mark from 0 to 100." in teacher_client.get(bad.headers["Location"]).get_data(
        as_text=True
    )
    post_form(
        teacher_client,
        f"{ESSAYS}/{essay.id}",
        {f"{prefix}-mark": "80", f"{prefix}-comment": "Clear plan."},
        token_from=ESSAYS,
    )
    assert "No essay is waiting for a mark." in teacher_client.get(ESSAYS).get_data(as_text=True)
    with app.app_context():
        attempt = db.session.scalar(select(Attempt))
        assert attempt.is_awaiting_marking is False and attempt.score == 90.0 and attempt.is_passed
        assert db.session.scalar(select(QuizResult.is_passed)) is True
    assert "Passed with 90%" in client.get(location).get_data(as_text=True)
    assert answer_id


def test_an_answer_of_another_course_cannot_be_marked(app, create_user, teacher_client):
    assert post_form(teacher_client, f"{ESSAYS}/99999", {}, token_from=ESSAYS).status_code == 404


def test_an_attempt_still_awaiting_marking_never_counts_as_the_result(
    app, create_user, teacher_client
):
    """Last attempt counts: marking an older essay must not count a newer unmarked attempt."""
    from app.assessments.models import Quiz

    with app.app_context():
        db.session.scalar(select(Quiz).where(Quiz.key == "final")).grading = "last"
        db.session.commit()
    client = learner(app, create_user, "Kofi Boateng")
    take(app, client, FINAL, right=True)
    take(app, client, FINAL, right=True)
    with app.app_context():
        first = db.session.scalar(select(Attempt).where(Attempt.number == 1))
        essay = next(a for a in first.answers if a.fraction is None)
    prefix = f"essay{essay.id}"
    post_form(teacher_client, f"{ESSAYS}/{essay.id}", {f"{prefix}-mark": "100"}, token_from=ESSAYS)
    with app.app_context():
        result = db.session.scalar(select(QuizResult))
        assert (result.score, result.is_passed, result.attempts_used) == (100.0, True, 1)
