"""Moodle's GIFT question format: a complete parser that reports problems by line, and an
exporter whose output parses back to the same questions.

Supported: categories (`$CATEGORY:`), titles (`::title::`), `//` comments, escapes
(`\\~ \\= \\# \\{ \\} \\: \\n`), markup (`[html] [moodle] [plain] [markdown]`), multiple choice
with one or several right answers and percentage weights, true/false with feedback for wrong
and right answers, short answer, matching, numerical (tolerance, ranges, several answers with
partial credit), essay, description items, missing-word questions, per-answer and general
(`####`) feedback.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

MARKUPS = ("moodle", "html", "plain", "markdown")
SINGLE, MULTIPLE, TRUE_FALSE, SHORT, NUMERICAL, MATCHING, ESSAY, DESCRIPTION = (
    "single", "multiple", "truefalse", "short", "numerical", "matching", "essay", "description",
)  # fmt: skip
BLANK = "_____"

# Escaped special characters are swapped for private-use characters while parsing.
_ESCAPES = {"\\~": "\ue000", "\\=": "\ue001", "\\#": "\ue002", "\\{": "\ue003", "\\}": "\ue004",
            "\\:": "\ue005", "\\n": "\n", "\\\\": "\ue006"}  # fmt: skip
_UNESCAPES = {placeholder: key[1] for key, placeholder in _ESCAPES.items() if key != "\\n"}
_MARKUP = re.compile(r"^\s*\[(\w+)\]")
IGNORE_ACCENTS = "// [ignore-accents]"
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


@dataclass
class Answer:
    text: str
    fraction: float
    feedback: str = ""


@dataclass
class NumericAnswer:
    low: Decimal
    high: Decimal
    fraction: float = 1.0
    feedback: str = ""

    def accepts(self, number: Decimal) -> bool:
        return self.low <= number <= self.high


@dataclass
class Question:
    kind: str
    text: str
    title: str = ""
    category: str = ""
    markup: str = "moodle"
    answers: list[Answer] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    numeric: list[NumericAnswer] = field(default_factory=list)
    general_feedback: str = ""
    # Set by a `// [ignore-accents]` comment line just before the question (a Passerelle
    # extension that Moodle reads as an ordinary comment).
    ignore_accents: bool = False
    line: int = 0

    def same_as(self, other: "Question") -> bool:
        """Equal in everything that matters, whatever line each came from."""
        return {**vars(self), "line": 0} == {**vars(other), "line": 0}


@dataclass(frozen=True)
class GiftProblem:
    line: int
    message: str


class _Invalid(Exception):
    def __init__(self, line: int, message: str):
        self.line, self.message = line, message


def _unescape(text: str) -> str:
    for placeholder, char in _UNESCAPES.items():
        text = text.replace(placeholder, char)
    return text.strip()


def _escape_source(text: str) -> str:
    return re.sub(r"\\[~=#{}:n\\]", lambda match: _ESCAPES[match.group(0)], text)


def parse_gift(source: str) -> tuple[list[Question], list[GiftProblem]]:
    """Every question of a GIFT text, or the problems found, each with its line."""
    questions, problems, category = [], [], ""
    text = _escape_source(source.replace("\r\n", "\n").replace("\r", "\n"))
    for start, block, ignore_accents in _blocks(text):
        lines = block.split("\n")
        while lines and lines[0].lstrip().startswith("$CATEGORY:"):
            category = _unescape(lines.pop(0).split(":", 1)[1])
            start += 1
        if not "".join(lines).strip():
            continue
        try:
            question = _parse_question("\n".join(lines), start, category)
            question.ignore_accents = ignore_accents
            questions.append(question)
        except _Invalid as problem:
            problems.append(GiftProblem(problem.line, problem.message))
    return questions, problems


def _blocks(text: str):
    """(first line, text, ignore accents) of each blank-line-separated block, minus comments."""
    block: list[str] = []
    start, ignore_accents = 1, False
    for number, line in enumerate(text.split("\n"), start=1):
        if line.lstrip().startswith("//"):
            ignore_accents |= line.strip().lower() == IGNORE_ACCENTS
            continue
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            # As in Moodle, a blank line always ends a question.
            yield start, "\n".join(block), ignore_accents
            block, ignore_accents = [], False
    if block:
        yield start, "\n".join(block), ignore_accents


def _line_at(block: str, start: int, position: int) -> int:
    return start + block.count("\n", 0, position)


def _parse_question(block: str, start: int, category: str) -> Question:
    title = ""
    match = re.match(r"\s*::(.*?)::", block, re.S)
    if match:
        title, block_rest = _unescape(match.group(1)), block[match.end() :]
        offset = match.end()
    else:
        block_rest, offset = block, 0
    opening = block_rest.find("{")
    closing = block_rest.find("}")
    if opening == -1 and closing != -1:
        raise _Invalid(_line_at(block, start, offset + closing), _("A “}” closes nothing."))
    if opening == -1:
        markup, text = _markup(block_rest, _line_at(block, start, offset))
        return Question(DESCRIPTION, text, title, category, markup, line=start)
    if closing == -1 or closing < opening:
        line = _line_at(block, start, offset + opening)
        raise _Invalid(line, _("This “{” is never closed."))
    after = block_rest[closing + 1 :]
    if "{" in after or "}" in after:
        line = _line_at(block, start, offset + closing + 1 + max(after.find("{"), after.find("}")))
        raise _Invalid(line, _("A question has only one pair of braces."))
    markup, before = _markup(block_rest[:opening], _line_at(block, start, offset))
    text = before if not after.strip() else f"{before} {BLANK} {_unescape(after)}"
    answer_start = offset + opening + 1
    question = Question(ESSAY, text, title, category, markup, line=start)
    _parse_answers(question, block_rest[opening + 1 : closing], block, start, answer_start)
    if not question.text and question.kind != ESSAY:
        raise _Invalid(start, _("This question has no text."))
    return question


def _markup(text: str, line: int) -> tuple[str, str]:
    match = _MARKUP.match(text)
    if not match:
        return "moodle", _unescape(text)
    name = match.group(1).lower()
    if name not in MARKUPS:
        raise _Invalid(
            line,
            _(
                "Unknown markup “[%(name)s]”: use [html], [moodle], [plain] or [markdown].",
                name=name,
            ),
        )
    return name, _unescape(text[match.end() :])


def _parse_answers(question: Question, body: str, block: str, start: int, offset: int) -> None:
    body, _sep, general = body.partition("####")
    question.general_feedback = _unescape(general)
    stripped = body.strip()
    line = _line_at(block, start, offset)
    if not stripped:
        question.kind = ESSAY
    elif stripped.startswith("#"):
        question.kind = NUMERICAL
        question.numeric = _numeric_answers(stripped[1:], line)
    elif re.fullmatch(r"(T|TRUE|F|FALSE)(#.*)?", stripped, re.S | re.I):
        _true_false(question, stripped)
    else:
        answers = _split_answers(body, block, start, offset)
        if all(marker == "=" and "->" in text for marker, text, _line in answers):
            question.kind = MATCHING
            question.pairs = _pairs(answers)
        elif any(marker == "~" for marker, _text, _line in answers):
            _choices(question, answers)
        else:
            question.kind = SHORT
            question.answers = [_answer(marker, text, line) for marker, text, line in answers]


def _split_answers(body: str, block: str, start: int, offset: int) -> list[tuple[str, str, int]]:
    """Cut an answer list at each “=” or “~” (escaped ones were swapped out already)."""
    answers: list[list] = []
    for position, char in enumerate(body):
        if char in "~=":
            answers.append([char, "", _line_at(block, start, offset + position)])
        elif answers:
            answers[-1][1] += char
        elif not char.isspace():
            line = _line_at(block, start, offset + position)
            raise _Invalid(line, _("Each answer starts with “=” (right) or “~” (wrong)."))
    return [tuple(answer) for answer in answers]


def _weight(text: str, line: int, default: float) -> tuple[float, str]:
    match = _WEIGHT.match(text.strip())
    if not match:
        if text.strip().startswith("%"):
            raise _Invalid(line, _("This weight is not a number between two percent signs."))
        return default, text.strip()
    weight = float(match.group(1))
    if not -100 <= weight <= 100:
        raise _Invalid(line, _("Weights go from -100 to 100 percent."))
    return weight / 100, text.strip()[match.end() :]


def _answer(marker: str, raw: str, line: int) -> Answer:
    fraction, rest = _weight(raw, line, 1.0 if marker == "=" else 0.0)
    text, _sep, feedback = rest.partition("#")
    if not _unescape(text):
        raise _Invalid(line, _("An answer is empty."))
    return Answer(_unescape(text), fraction, _unescape(feedback))


def _choices(question: Question, answers) -> None:
    question.answers = [_answer(marker, text, line) for marker, text, line in answers]
    if len(question.answers) < 2:
        raise _Invalid(question.line, _("A multiple-choice question needs at least two answers."))
    positive = [answer.fraction for answer in question.answers if answer.fraction > 0]
    if not positive:
        raise _Invalid(
            question.line, _("No answer is marked right (with “=” or a positive weight).")
        )
    if len(positive) == 1 and positive[0] == 1.0:
        question.kind = SINGLE
        return
    question.kind = MULTIPLE
    if abs(sum(positive) - 1.0) > 0.011:
        raise _Invalid(
            question.line, _("The weights of the right answers must add up to 100 percent.")
        )


def _pairs(answers) -> list[tuple[str, str]]:
    pairs = []
    for _marker, text, line in answers:
        left, _sep, right = text.partition("->")
        if not _unescape(right):
            raise _Invalid(line, _("A matching pair needs something on each side of “->”."))
        pairs.append((_unescape(left), _unescape(right)))
    if len(pairs) < 2:
        raise _Invalid(answers[0][2], _("A matching question needs at least two pairs."))
    return pairs


def _true_false(question: Question, text: str) -> None:
    truth, *feedback = text.split("#", 2)
    is_true = truth.strip().upper() in {"T", "TRUE"}
    wrong, right = (feedback + ["", ""])[:2]
    question.kind = TRUE_FALSE
    question.answers = [
        Answer("true", 1.0 if is_true else 0.0, _unescape(right if is_true else wrong)),
        Answer("false", 0.0 if is_true else 1.0, _unescape(wrong if is_true else right)),
    ]


def _numeric_answers(body: str, line: int) -> list[NumericAnswer]:
    parts = [part for part in re.split(r"(?=[=~])", body.strip()) if part.strip()]
    answers = []
    for part in parts:
        marker = part[0] if part[0] in "=~" else "="
        raw = part[1:] if part[0] in "=~" else part
        fraction, rest = _weight(raw, line, 1.0 if marker == "=" else 0.0)
        spec, _sep, feedback = rest.partition("#")
        answers.append(_numeric_range(spec.strip(), fraction, _unescape(feedback), line))
    if not answers:
        raise _Invalid(line, _("A numerical question needs a number."))
    return answers


def _numeric_range(spec: str, fraction: float, feedback: str, line: int) -> NumericAnswer:
    try:
        if ".." in spec:
            low, high = (Decimal(value) for value in spec.split("..", 1))
        else:
            value, _sep, tolerance = spec.partition(":")
            margin = abs(Decimal(tolerance)) if tolerance else Decimal(0)
            low, high = Decimal(value) - margin, Decimal(value) + margin
    except InvalidOperation:
        raise _Invalid(line, _("“%(value)s” is not a number or a range.", value=spec)) from None
    if low > high:
        raise _Invalid(line, _("A range goes from the smaller number to the larger."))
    return NumericAnswer(low, high, fraction, feedback)


# Export -------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _percent(fraction: float) -> str:
    value = round(fraction * 100, 5)
    return f"%{int(value) if value == int(value) else value}%"


def export_gift(questions: list[Question]) -> str:
    """GIFT text for these questions; parsing it gives the same questions back."""
    out, category = [], None
    for question in questions:
        if question.category != category:
            category = question.category
            out.append(f"$CATEGORY: {category}\n")
        accents = f"{IGNORE_ACCENTS}\n" if question.ignore_accents else ""
        out.append(accents + _export_question(question) + "\n")
    return "\n".join(out)


def _export_question(question: Question) -> str:
    head = f"::{_escape(question.title)}::" if question.title else ""
    markup = f"[{question.markup}]" if question.markup != "moodle" else ""
    text = question.text
    if question.kind == DESCRIPTION:
        return f"{head}{markup}{_escape(text)}"
    body = _export_answers(question)
    general = f"\n####{_escape(question.general_feedback)}" if question.general_feedback else ""
    return f"{head}{markup}{_escape(text)} {{{body}{general}\n}}"


def _export_answers(question: Question) -> str:
    if question.kind == ESSAY:
        return ""
    if question.kind == TRUE_FALSE:
        right = next(answer for answer in question.answers if answer.fraction > 0)
        wrong = next(answer for answer in question.answers if answer.fraction <= 0)
        truth = "TRUE" if right.text == "true" else "FALSE"
        return f"{truth}#{_escape(wrong.feedback)}#{_escape(right.feedback)}"
    if question.kind == MATCHING:
        return "".join(f"\n={_escape(left)} -> {_escape(right)}" for left, right in question.pairs)
    if question.kind == NUMERICAL:
        return "#" + "".join(
            f"\n={_percent(answer.fraction)}{answer.low}..{answer.high}"
            + (f"#{_escape(answer.feedback)}" if answer.feedback else "")
            for answer in question.numeric
        )
    lines = []
    for answer in question.answers:
        marker = "=" if question.kind in (SINGLE, SHORT) and answer.fraction == 1.0 else "~"
        weight = (
            ""
            if answer.fraction in (0.0, 1.0)
            and marker in "=~"
            and ((marker == "=") == (answer.fraction == 1.0))
            else _percent(answer.fraction)
        )
        if question.kind == SHORT and marker == "~":
            marker, weight = "=", _percent(answer.fraction)
        feedback = f"#{_escape(answer.feedback)}" if answer.feedback else ""
        lines.append(f"\n{marker}{weight}{_escape(answer.text)}{feedback}")
    return "".join(lines)
