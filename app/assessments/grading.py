"""Grading one response to one question, on the server, for every question type.

A response is a small dict, as stored with an attempt: {"choice": i}, {"choices": [i, j]},
{"text": "…"} or {"pairs": {"0": "right side", …}}. Options are identified by their index in
the question. The result is the fraction of the question's marks earned (0 to 1), or None
for an essay, which an instructor marks later.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from babel.numbers import get_decimal_symbol

from app.assessments.gift import (
    DESCRIPTION,
    ESSAY,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    SHORT,
    SINGLE,
    TRUE_FALSE,
)

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def grade(question, response: dict, *, locale: str = "en", ignore_accents: bool = False):
    """The fraction of marks this response earns, or None when a person must mark it."""
    kind = question.kind
    if kind in (ESSAY, DESCRIPTION):
        return None
    if kind in (SINGLE, TRUE_FALSE):
        return max(0.0, _chosen(question, [response.get("choice")]))
    if kind == MULTIPLE:
        return min(1.0, max(0.0, _chosen(question, response.get("choices") or [])))
    if kind == SHORT:
        return _short_answer(question, str(response.get("text", "")), ignore_accents)
    if kind == NUMERICAL:
        return _numerical(question, str(response.get("text", "")), locale)
    if kind == MATCHING:
        return _matching(question, response.get("pairs") or {})
    raise ValueError(f"unknown question kind {kind!r}")


def _chosen(question, indexes) -> float:
    """Sum of the weights of the chosen options; unknown or repeated indexes count nothing."""
    valid = {index for index in indexes if isinstance(index, int)}
    return sum(answer.fraction for index, answer in enumerate(question.answers) if index in valid)


def normalise_text(text: str, ignore_accents: bool = False) -> str:
    """Case, surrounding and repeated spaces ignored; accents too when the question says so."""
    text = " ".join(unicodedata.normalize("NFC", text).split()).casefold()
    if ignore_accents:
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in decomposed if not unicodedata.combining(char))
    return text


def _short_answer(question, text: str, ignore_accents: bool) -> float:
    given = normalise_text(text, ignore_accents)
    if not given:
        return 0.0
    return max(
        (
            answer.fraction
            for answer in question.answers
            if normalise_text(answer.text, ignore_accents) == given
        ),
        default=0.0,
    )


def parse_number(text: str, locale: str) -> Decimal | None:
    """A number as a learner types it: "3,5" where the locale writes decimals with a comma."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text)
    if get_decimal_symbol(locale) == ",":
        cleaned = cleaned.replace(",", ".")
    if not _NUMBER.match(cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _numerical(question, text: str, locale: str) -> float:
    number = parse_number(text, locale)
    if number is None:
        return 0.0
    return max(
        (answer.fraction for answer in question.numeric if answer.accepts(number)), default=0.0
    )


def _matching(question, pairs: dict) -> float:
    correct = sum(
        1 for index, (_left, right) in enumerate(question.pairs) if pairs.get(str(index)) == right
    )
    return correct / len(question.pairs) if question.pairs else 0.0
