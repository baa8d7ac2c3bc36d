"""The GIFT parser, tested on the examples of Moodle's GIFT format documentation."""

from decimal import Decimal

import pytest

from app.assessments.gift import (
    BLANK,
    DESCRIPTION,
    ESSAY,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    export_gift,
    parse_gift,
)

DOCUMENTATION_EXAMPLES = r"""
// true/false
::Q1:: 1+1=2 {T}

// multiple choice with specified feedback for right and wrong answers
::Q2:: What's between orange and green in the spectrum?
{ =yellow # right; good! ~red # wrong, it's yellow ~blue # wrong, it's yellow }

// fill-in-the-blank
::Q3:: Two plus {=two =2} equals four.

// matching
::Q4:: Which animal eats which food? { =cat -> cat food =dog -> dog food }

// math range question
::Q5:: What is a number from 1 to 5? {#3:2}

// math range specified with interval end points
::Q6:: What is a number from 1 to 5? {#1..5}
// translated on import to the same as Q5, but unavailable from Moodle question interface

// multiple numeric answers with partial credit and feedback
::Q7:: When was Ulysses S. Grant born? {#
         =1822:0      # Correct! Full credit.
         =%50%1822:2  # He was born in 1822. Half credit for being close.
}

// essay
::Q8:: How are you? {}
"""


@pytest.fixture(autouse=True)
def request_context(app):
    with app.test_request_context():
        yield


def parse_ok(text):
    questions, problems = parse_gift(text)
    assert problems == []
    return questions


def test_the_documentation_examples():
    q1, q2, q3, q4, q5, q6, q7, q8 = parse_ok(DOCUMENTATION_EXAMPLES)
    assert (q1.kind, q1.title, q1.text) == (TRUE_FALSE, "Q1", "1+1=2")
    assert [(a.text, a.fraction) for a in q1.answers] == [("true", 1.0), ("false", 0.0)]
    assert q2.kind == SINGLE
    assert [(a.text, a.fraction, a.feedback) for a in q2.answers] == [
        ("yellow", 1.0, "right; good!"),
        ("red", 0.0, "wrong, it's yellow"),
        ("blue", 0.0, "wrong, it's yellow"),
    ]
    assert (q3.kind, q3.text) == (SHORT, f"Two plus {BLANK} equals four.")
    assert [a.text for a in q3.answers] == ["two", "2"]
    assert (q4.kind, q4.pairs) == (MATCHING, [("cat", "cat food"), ("dog", "dog food")])
    assert q5.kind == q6.kind == NUMERICAL
    assert (q5.numeric[0].low, q5.numeric[0].high) == (Decimal(1), Decimal(5))
    assert (q6.numeric[0].low, q6.numeric[0].high) == (Decimal(1), Decimal(5))
    exact, close = q7.numeric
    assert (exact.low, exact.high, exact.fraction, exact.feedback) == (
        Decimal(1822), Decimal(1822), 1.0, "Correct! Full credit.",
    )  # fmt: skip
    assert (close.low, close.high, close.fraction) == (Decimal(1820), Decimal(1824), 0.5)
    assert (q8.kind, q8.text) == (ESSAY, "How are you?")


def test_grants_tomb_examples():
    text = """Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}

Grant is {~buried =entombed ~living} in Grant's tomb.

What two people are entombed in Grant's tomb? {~%-100%No one ~%50%Grant
~%50%Grant's wife ~%-100%Grant's father}

Grant was buried in a tomb in New York City.{T}

The sun rises in the West.{FALSE#Wrong: it rises in the East.#Right.}

Match the following countries with their corresponding capitals. {
=Canada -> Ottawa
=Italy -> Rome
=Japan -> Tokyo
####It's good to know the capitals
}
"""
    tomb, missing, two, buried, sun, capitals = parse_ok(text)
    assert tomb.kind == SINGLE and tomb.answers[2].fraction == 1.0
    assert missing.text == f"Grant is {BLANK} in Grant's tomb."
    assert two.kind == MULTIPLE
    assert [a.fraction for a in two.answers] == [-1.0, 0.5, 0.5, -1.0]
    assert buried.answers[0].fraction == 1.0
    assert sun.answers == [
        type(sun.answers[0])("true", 0.0, "Wrong: it rises in the East."),
        type(sun.answers[0])("false", 1.0, "Right."),
    ]
    assert capitals.kind == MATCHING and len(capitals.pairs) == 3
    assert capitals.general_feedback == "It's good to know the capitals"


def test_categories_comments_and_descriptions():
    text = """$CATEGORY: $course$/top/Module 1

// a comment line is ignored
::intro:: Read the case below before answering.

::q1:: Is this a question? {TRUE}

$CATEGORY: final
::q2:: And this one? {F}
"""
    intro, q1, q2 = parse_ok(text)
    assert (intro.kind, intro.category) == (DESCRIPTION, "$course$/top/Module 1")
    assert q1.category == "$course$/top/Module 1" and q2.category == "final"
    assert q2.answers[1].fraction == 1.0


def test_escaped_characters():
    text = r"""::Title\: with a colon:: Which answer equals 5? {
~ \= 2 + 2
= \= 2 + 3 # Right\: 2 + 3 \= 5
~ \= 2 + 4
}

::braces:: Write \{ and \} and \~ and \# literally.\nSecond line. {=ok}
"""
    equals, braces = parse_ok(text)
    assert equals.title == "Title: with a colon"
    assert [a.text for a in equals.answers] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    assert equals.answers[1].feedback == "Right: 2 + 3 = 5"
    assert braces.text == "Write { and } and ~ and # literally.\nSecond line."


@pytest.mark.parametrize("markup", ["html", "markdown", "plain", "moodle"])
def test_markup_formats(markup):
    (question,) = parse_ok(f"::m::[{markup}]Some **text** <b>here</b>. {{=yes}}")
    assert question.markup == markup
    assert question.text == "Some **text** <b>here</b>."


def test_numerical_with_several_answers_and_negative_ranges():
    (question,) = parse_ok("::n:: Temperature? {#\n=-5..-1#Cold\n=%25%-10..10\n}")
    first, second = question.numeric
    assert (first.low, first.high, first.feedback) == (Decimal(-5), Decimal(-1), "Cold")
    assert second.fraction == 0.25


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("::a:: Unclosed {=yes ~no\n\n::b:: next {T}", 1, "never closed"),
        ("::a:: Stray } here", 1, "closes nothing"),
        ("::a:: [latex]x {=y}", 1, "Unknown markup"),
        ("::a:: Empty answer {= ~no}", 1, "An answer is empty"),
        ("::a:: Weight {~%150%yes ~no}", 1, "Weights go from -100 to 100"),
        ("::a:: Weight {~%-101%yes =no}", 1, "Weights go from -100 to 100"),
        ("::a:: Sum {~%50%a ~%30%b ~c}", 1, "add up to 100"),
        ("::a:: Nothing right {~a ~b}", 1, "No answer is marked right"),
        ("\n\n::a:: Number {#abc}", 3, "is not a number"),
        ("::a:: Range {#5..1}", 1, "smaller number"),
        ("::a:: Pairs {=a -> b}", 1, "at least two pairs"),
        ("::a:: Two {=a} and {=b}", 1, "only one pair of braces"),
        ("::a:: Junk {junk =a ~b}", 1, "starts with"),
    ],
)
def test_malformed_gift_is_reported_by_line(text, line, message):
    questions, problems = parse_gift(text)
    assert any(p.line == line and message in p.message for p in problems), problems


def test_a_broken_question_does_not_hide_the_others():
    questions, problems = parse_gift("::a:: ok {T}\n\n::b:: broken {=\n\n::c:: ok too {F}")
    assert [q.title for q in questions] == ["a", "c"]
    assert len(problems) == 1 and problems[0].line == 3


def test_export_then_import_gives_the_same_questions():
    source = (
        DOCUMENTATION_EXAMPLES
        + r"""
$CATEGORY: second
::esc\: title:: Braces \{ \} and [code]\n{~%-50%wrong \= no#fb ~%50%right one ~%50%right two}

::d::[markdown]Just **reading** material.

::tf:: Statement {FALSE#no#yes
####General}
"""
    )
    original = parse_ok(source)
    again = parse_ok(export_gift(original))
    assert len(again) == len(original)
    for before, after in zip(original, again, strict=True):
        assert after.same_as(before), (before, after)


def test_the_ignore_accents_comment_marks_the_next_question_only():
    text = (
        "// [ignore-accents]\n::a:: Capital of Colombia? {=Bogotá}\n\n"
        "::b:: Capital of Peru? {=Lima}\n"
    )
    first, second = parse_ok(text)
    assert first.ignore_accents and not second.ignore_accents
    again = parse_ok(export_gift([first, second]))
    assert again[0].ignore_accents and not again[1].ignore_accents
