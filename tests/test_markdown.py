"""Lesson Markdown renders to safe, light HTML."""

import re

from app.markdown import render_markdown


def test_tables_scroll_and_lose_inline_styles():
    html = render_markdown("| a | b |\n|---|--:|\n| 1 | 2 |\n")
    assert html.startswith('<div class="table-scroll" tabindex="0"><table>')
    assert "style=" not in html


def test_videos_are_links_labelled_with_their_size_never_players():
    html = render_markdown('[Interview](https://example.org/talk.mp4){size="14 MB"}')
    assert html == (
        '<p><a href="https://example.org/talk.mp4" rel="noopener noreferrer">Interview</a>'
        " (MP4, 14 MB)</p>\n"
    )
    assert "<video" not in html and "autoplay" not in html


def test_images_are_lazy_and_sized():
    html = render_markdown("![A map](media/map.png){width=640 height=360}", {"map.png": "/m/1.png"})
    assert '<img src="/m/1.png" alt="A map" width="640" height="360" loading="lazy"' in html


def test_script_and_handlers_never_reach_the_page():
    for source in (
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        '[x](https://example.org){onclick="alert(1)"}',
        "<a href='javascript:alert(1)'>x</a>",
    ):
        html = render_markdown(source)
        assert "<script" not in html and "<img" not in html, source
        assert not re.search(r"<[^>]*\son\w+=", html), source
        assert 'href="javascript' not in html, source


def test_headings_lists_code_and_links_survive():
    html = render_markdown("## Part\n\n- one\n- two\n\n`x = 1`\n\n[UNESCO](https://www.unesco.org)")
    assert "<h2>Part</h2>" in html and "<li>one</li>" in html and "<code>x = 1</code>" in html
    assert '<a href="https://www.unesco.org" rel="noopener noreferrer">UNESCO</a>' in html
