"""Lesson Markdown: checked strictly when a course is imported, rendered and sanitised once.

Authors write plain Markdown (CommonMark, tables, and `{width=… height=…}` / `{size="…"}`
attributes on images and video links). Raw HTML, script links and unknown attributes are
refused with the line they stand on; nh3 sanitises the output as a second line of defence.
"""

import re
from dataclasses import dataclass

import nh3
from flask_babel import gettext
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape
from mdit_py_plugins.attrs import attrs_plugin

MEDIA_PREFIX = "media/"
VIDEO_EXTENSIONS = (".mp4", ".webm", ".ogv", ".ogg", ".mov", ".3gp")
ALLOWED_SCHEMES = ("https://", "http://", "mailto:")
ALLOWED_ATTRIBUTES = {"image": {"src", "alt", "width", "height"}, "link_open": {"href", "size"}}
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")

SANITIZER_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th",
    "td", "a", "img", "code", "pre", "em", "strong", "blockquote", "hr", "br", "div", "span",
}  # fmt: skip
SANITIZER_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "div": {"class", "tabindex"},
    "span": {"class"},
    "code": {"class"},
}


@dataclass(frozen=True)
class MarkdownProblem:
    line: int
    message: str


def _parser(html: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": html}).enable("table").use(attrs_plugin)
    # A wide table scrolls sideways on a phone; tabindex lets keyboards scroll it too.
    parser.add_render_rule(
        "table_open", lambda *args: '<div class="table-scroll" tabindex="0"><table>\n'
    )
    parser.add_render_rule("table_close", lambda *args: "</table></div>\n")
    return parser


_CHECKER = _parser(html=True)
_RENDERER = _parser(html=False)


def check_markdown(text: str, first_line: int = 1) -> list[MarkdownProblem]:
    """What is wrong with a lesson's Markdown, each problem with its line in the file."""
    lines = text.splitlines()
    problems = _check_links(lines, first_line) + _check_fences(lines, first_line)
    for token in _CHECKER.parse(text):
        line = first_line + (token.map[0] if token.map else 0)
        if token.type == "html_block":
            problems.append(MarkdownProblem(line, _html_message()))
        for child in token.children or ():
            problems += _check_inline(child, lines, token.map, first_line)
    return sorted(set(problems), key=lambda problem: problem.line)


def _html_message() -> str:
    return gettext("HTML is not allowed in lessons: write Markdown instead.")


def _line_of(snippet: str, lines: list[str], span, first_line: int) -> int:
    start, end = span or (0, len(lines))
    for number in range(start, end):
        if snippet and snippet in lines[number]:
            return first_line + number
    return first_line + start


def _check_inline(token: Token, lines, span, first_line) -> list[MarkdownProblem]:
    if token.type == "html_inline":
        return [MarkdownProblem(_line_of(token.content, lines, span, first_line), _html_message())]
    allowed = ALLOWED_ATTRIBUTES.get(token.type)
    if allowed is None:
        return []
    target = str(token.attrs.get("src") or token.attrs.get("href") or "")
    line = _line_of(target, lines, span, first_line)
    problems = [
        MarkdownProblem(line, gettext("Unknown attribute “%(name)s”.", name=name))
        for name in token.attrs
        if name not in allowed
    ]
    if token.type == "image":
        problems += _check_image(token, line)
    elif target.lower().endswith(VIDEO_EXTENSIONS) and "size" not in token.attrs:
        problems.append(
            MarkdownProblem(
                line, gettext('Give the video’s size, like [Title](video.mp4){size="12 MB"}.')
            )
        )
    return problems


def _check_image(token: Token, line: int) -> list[MarkdownProblem]:
    problems = []
    if not str(token.attrs.get("src", "")).startswith(MEDIA_PREFIX):
        problems.append(
            MarkdownProblem(line, gettext("Images must be files of the course’s media folder."))
        )
    if not all(str(token.attrs.get(side, "")).isdigit() for side in ("width", "height")):
        problems.append(
            MarkdownProblem(
                line,
                gettext(
                    "Give the image its size, like ![Text](media/map.png){width=640 height=360}."
                ),
            )
        )
    return problems


def _check_links(lines: list[str], first_line: int) -> list[MarkdownProblem]:
    problems = []
    for number, line in enumerate(lines):
        for target in _LINK_TARGET.findall(line) + _AUTOLINK.findall(line):
            if not _is_allowed_target(target):
                message = gettext(
                    "This link is not allowed: use https://, http://, mailto: or a media file."
                )
                problems.append(MarkdownProblem(first_line + number, message))
    return problems


def _is_allowed_target(target: str) -> bool:
    lowered = target.strip().lower()
    if lowered.startswith(ALLOWED_SCHEMES) or lowered.startswith(MEDIA_PREFIX):
        return True
    # A relative link or anchor has no scheme; anything with one (javascript:, data:) is refused.
    return ":" not in lowered.split("/")[0] and not lowered.startswith("//")


def _check_fences(lines: list[str], first_line: int) -> list[MarkdownProblem]:
    opened: tuple[str, int] | None = None
    for number, line in enumerate(lines):
        match = _FENCE.match(line)
        if not match:
            continue
        marker = match.group(1)
        if opened is None:
            opened = (marker, number)
        elif marker[0] == opened[0][0] and len(marker) >= len(opened[0]):
            opened = None
    if opened is None:
        return []
    return [MarkdownProblem(first_line + opened[1], gettext("This code block is never closed."))]


def render_markdown(text: str, media_urls: dict[str, str] | None = None) -> str:
    """Safe HTML for a lesson: media paths resolved, images lazy, videos labelled with size."""
    tokens = _RENDERER.parse(text)
    for token in tokens:
        if token.children:
            token.children = _prepare_inline(token.children, media_urls or {})
    return _sanitise(_RENDERER.renderer.render(tokens, _RENDERER.options, {}))


def _prepare_inline(children: list[Token], media_urls: dict[str, str]) -> list[Token]:
    prepared: list[Token] = []
    video_label = None
    for token in children:
        prepared.append(token)
        if token.type == "image":
            src = str(token.attrs.get("src", ""))
            token.attrs["src"] = media_urls.get(src.removeprefix(MEDIA_PREFIX), src)
            token.attrs["loading"] = "lazy"
            token.attrs["decoding"] = "async"
        elif token.type == "link_open" and "size" in token.attrs:
            extension = str(token.attrs.get("href", "")).rsplit(".", 1)[-1].upper()
            # A video is only ever a link, labelled with its weight so no one pays by surprise.
            video_label = f" ({extension}, {token.attrs.pop('size')})"
        elif token.type == "link_close" and video_label:
            prepared.append(Token("text", "", 0, content=video_label))
            video_label = None
    return prepared


def render_question_text(text: str, markup: str = "moodle") -> Markup:
    """Safe HTML for a question or answer text in one of GIFT's markup formats."""
    if markup in ("markdown", "html"):
        html = render_markdown(text) if markup == "markdown" else _sanitise(text)
        return Markup(html)  # noqa: S704 - the HTML has just been sanitised by nh3
    return escape(text).replace("\n", Markup("<br>"))


def _sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=SANITIZER_TAGS,
        attributes=SANITIZER_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
