"""Every question type grades correctly, partial credit and edge cases included."""

import pytest

from app.assessments.gift import parse_gift
from app.assessments.grading import grade, normalise_text, parse_number


@pytest.fixture(autouse=True)
def request_context(app):
    with app.test_request_context():
        yield


def question(text: str):
    (parsed,), problems = parse_gift(text)
    assert problems == []
    return parsed


SINGLE = question("Capital of Kenya? {=Nairobi ~Mombasa ~Kisumu}")
MULTIPLE = question("Grant's tomb? {~%-100%No one ~%50%Grant ~%50%Grant's wife ~%-50%His father}")
TF = question("The sun rises in the East. {TRUE}")
SHORT = question("Capital of Senegal? {=Dakar =%50%Dakkar}")
NUMERIC = question("When was Grant born? {#\n=1822:0\n=%50%1822:2\n}")
RANGE = question("A number from 1 to 5? {#1..5}")
MATCH = question("Capitals. {=Kenya -> Nairobi =Ghana -> Accra =Peru -> Lima =Chile -> Santiago}")
ESSAY = question("Describe a use of AI in your office. {}")


@pytest.mark.parametrize(
    ("response", "expected"),
    [({"choice": 0}, 1.0), ({"choice": 1}, 0.0), ({"choice": 9}, 0.0), ({}, 0.0),
     ({"choice": "0"}, 0.0)],
)  # fmt: skip
def test_single_choice(response, expected):
    assert grade(SINGLE, response) == expected


@pytest.mark.parametrize(
    ("choices", "expected"),
    [
        ([1, 2], 1.0),
        ([1], 0.5),
        ([1, 2, 3], 0.5),  # a wrong choice costs its negative weight
        ([0, 1], 0.0),  # never below zero
        ([0, 3], 0.0),
        ([], 0.0),
        ([1, 1, 1], 0.5),  # a choice repeated counts once
        ([1, 2, 99], 1.0),  # an index that does not exist counts nothing
    ],
)
def test_multiple_response_partial_credit_and_negative_weights(choices, expected):
    assert grade(MULTIPLE, {"choices": choices}) == pytest.approx(expected)


def test_true_false():
    assert grade(TF, {"choice": 0}) == 1.0
    assert grade(TF, {"choice": 1}) == 0.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Dakar", 1.0), ("  dAKAR ", 1.0), ("Dakkar", 0.5), ("Daka", 0.0), ("", 0.0)],
)
def test_short_answer_ignores_case_and_spaces(text, expected):
    assert grade(SHORT, {"text": text}) == expected


def test_short_answer_ignores_accents_only_when_asked():
    accented = question("Capital of Colombia? {=Bogotá}")
    assert grade(accented, {"text": "bogota"}) == 0.0
    assert grade(accented, {"text": "bogota"}, ignore_accents=True) == 1.0
    assert grade(accented, {"text": "BOGOTÁ"}) == 1.0
    assert normalise_text("São  Tomé", ignore_accents=True) == "sao tome"


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("1822", "en", 1.0),
        ("1820", "en", 0.5),  # on the edge of the tolerance
        ("1824", "en", 0.5),
        ("1824.01", "en", 0.0),
        ("1819.99", "en", 0.0),
        ("1 822", "fr", 1.0),
        ("1822,0", "fr", 1.0),  # decimal comma where the locale uses one
        ("1821,5", "ru", 0.5),
        ("1821,5", "en", 0.0),  # not a number in English
        ("about 1822", "en", 0.0),
        ("", "en", 0.0),
    ],
)
def test_numerical_with_tolerance_and_decimal_commas(text, locale, expected):
    assert grade(NUMERIC, {"text": text}, locale=locale) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("1", 1.0), ("5", 1.0), ("3.5", 1.0), ("5.01", 0.0)]
)
def test_numerical_range_includes_its_ends(text, expected):
    assert grade(RANGE, {"text": text}) == expected


def test_matching_gives_credit_per_pair():
    right = {"0": "Nairobi", "1": "Accra", "2": "Lima", "3": "Santiago"}
    assert grade(MATCH, {"pairs": right}) == 1.0
    assert grade(MATCH, {"pairs": {**right, "2": "Santiago", "3": "Lima"}}) == 0.5
    assert grade(MATCH, {"pairs": {}}) == 0.0


def test_essays_wait_for_an_instructor():
    assert grade(ESSAY, {"text": "We use it to sort letters."}) is None


def test_parse_number():
    assert str(parse_number("-0,25", "es")) == "-0.25"
    assert parse_number("1e5", "en") is None
    assert parse_number("NaN", "en") is None
