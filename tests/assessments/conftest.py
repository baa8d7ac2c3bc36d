"""A small course with a question bank in two languages, a module quiz and a final test."""

import pytest
from sqlalchemy import select

from app.assessments.models import Quiz
from app.courses.models import Course
from app.extensions import db
from tests.conftest import import_folder, write_course

BANK_EN = """$CATEGORY: meters

::m-single:: Which reading shows a leak? {
=Flow at 3 a.m. as high as at noon#Right: at night almost no one uses water.
~A high bill in the dry season#Higher use is normal then.
~A meter that is hard to read#That is a maintenance issue.
####Night flow is the classic sign of a leak.
}

::m-multiple:: Which are signs of a leak? Choose all that apply. {
~%50%Wet ground above a pipe#Yes.
~%50%Night flow close to day flow#Yes.
~%-50%A new meter#No.
~%-50%A public holiday#No.
}

::m-truefalse:: A meter measures cubic metres. {TRUE#A meter counts volume.#Right.}

::m-short:: Which unit do meters count in? {=cubic metres =cubic meters =m3}

::m-numerical:: How many litres in one cubic metre? {#1000:0}

::m-matching:: Match each reading with its meaning. {
=Night flow -> Leaks
=Peak flow -> Demand
=Zero flow -> Broken meter
}

$CATEGORY: final

::f-essay:: Describe how you would check a district for leaks. {}

::f-single:: Who should decide to cut a household's water? {
=A person who checked the case#Right.
~The leak model alone#Never.
}
"""

BANK_FR = BANK_EN.replace("Which reading shows a leak?", "Quel relevé révèle une fuite ?").replace(
    "Flow at 3 a.m. as high as at noon#Right\\: at night", "Débit à 3 h aussi fort qu’à midi#Oui"
)

ESSAY_QUESTION = "::f-essay:: Describe how you would check a district for leaks. {}\n\n"

QUIZ_SETTINGS = """    quiz:
      pass_mark: 60
      draw: 5
      max_attempts: 3
"""
FINAL_SETTINGS = """final_assessment:
  pass_mark: 50
  max_attempts: 2
  time_limit: 10
"""


def write_quiz_course(root, essay: bool = True):
    folder = write_course(root)
    manifest = folder / "course.yml"
    text = manifest.read_text()
    text = text.replace("        required: false\n", "        required: false\n" + QUIZ_SETTINGS)
    text = text.replace("modules:\n", FINAL_SETTINGS + "modules:\n")
    manifest.write_text(text)
    (folder / "questions").mkdir()
    banks = {"en": BANK_EN, "fr": BANK_FR}
    for locale, bank in banks.items():
        if not essay:
            bank = bank.replace(ESSAY_QUESTION, "")
        (folder / "questions" / f"{locale}.gift").write_text(bank, encoding="utf-8")
    return folder


@pytest.fixture
def quiz_course(app, course_root):
    folder = write_quiz_course(course_root)
    import_folder(app, course_root)
    return folder


def change_published_quiz(app, key: str, **settings) -> None:
    """Change a published quiz's settings as publishing does: the course's content version
    is raised with them, so that each server reads the quiz anew."""
    with app.app_context():
        quiz = db.session.scalar(select(Quiz).where(Quiz.key == key))
        for name, value in settings.items():
            setattr(quiz, name, value)
        db.session.get(Course, quiz.course_id).content_version += 1
        db.session.commit()
