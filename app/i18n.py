"""Locale selection, text direction and localised lists (languages, countries)."""

import functools
import os
from typing import TypeVar

from babel import Locale
from babel.units import format_unit
from flask import Flask, g, has_request_context, request, session
from flask_babel import Babel, get_locale, get_translations
from flask_login import current_user

# The six UN languages plus Portuguese and Swahili, in the order the switcher shows them.
LOCALES = ("en", "fr", "es", "ar", "zh", "ru", "pt", "sw")
DEFAULT_LOCALE = "en"
SESSION_KEY = "locale"

TRANSLATIONS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "translations")

# Babel's territory list also holds regions and codes that are not ISO 3166-1 countries.
_NOT_COUNTRIES = {
    "AC",
    "CP",
    "CQ",
    "DG",
    "EA",
    "EU",
    "EZ",
    "IC",
    "QO",
    "TA",
    "UN",
    "XA",
    "XB",
    "ZZ",
}
COUNTRY_CODES = frozenset(
    code
    for code in Locale.parse(DEFAULT_LOCALE).territories
    if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
)

babel = Babel()
T = TypeVar("T")


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        default_locale=DEFAULT_LOCALE,
        default_translation_directories=TRANSLATIONS_DIR,
        locale_selector=select_locale,
    )
    # flask-babel finds the catalog anew on every call in a template (four lookups through
    # the request context and the locale made a string): a page with 20 texts paid for it
    # 20 times. The same callables, with the catalog kept for the request.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.context_processor(lambda: {"locale_code": str(get_locale()), "text_direction": direction()})
    app.add_template_filter(format_hours, "hours")
    app.add_template_global(language_name)
    app.add_template_global(language_direction)
    app.add_template_global(country_name)
    app.add_template_global(dict(language_choices()), "language_names")


def select_locale() -> str:
    """The user's saved choice, then the choice made in the page, then Accept-Language."""
    if not has_request_context():
        return DEFAULT_LOCALE  # command-line tools speak English
    preview = g.get("preview")
    if preview:
        return preview["locale"]  # an instructor previewing a draft in a chosen language
    if current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    chosen = session.get(SESSION_KEY)
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(LOCALES) or DEFAULT_LOCALE


def page_translations():
    """The current locale's catalog, looked up once per request and locale.

    Kept beside flask-babel's own state for the request, with the locale it is for:
    `refresh()` and `force_locale()` change that locale, and the next call follows.
    """
    try:
        state = getattr(g._get_current_object(), "_flask_babel", None)
    except RuntimeError:
        return get_translations()  # outside an app context: flask-babel's fallback
    locale = getattr(state, "babel_locale", None)
    if locale is None:
        return get_translations()  # the first text of the request selects the locale
    kept = getattr(state, "passerelle_translations", None)
    if kept is None or kept[0] is not locale:
        kept = state.passerelle_translations = (locale, get_translations())
    return kept[1]


def direction() -> str:
    """'rtl' or 'ltr' for the current locale."""
    return get_locale().text_direction


def language_choices() -> list[tuple[str, str]]:
    """Each supported locale named in its own language, as a speaker would look for it."""
    return list(_LANGUAGE_CHOICES)


_LANGUAGE_CHOICES = tuple((code, Locale.parse(code).get_display_name(code)) for code in LOCALES)


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166-1 countries named and sorted in the current locale."""
    territories = get_locale().territories
    names = [(code, territories.get(code, code)) for code in COUNTRY_CODES]
    return sorted(names, key=lambda item: item[1].casefold())


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return get_locale().territories.get(code, code)


def pick_translation(rows: dict[str, T], locale: str, source_locale: str) -> tuple[T | None, bool]:
    """The text in the reader's language, else in the source language (flagged as a fallback)."""
    if locale in rows:
        return rows[locale], False
    return rows.get(source_locale), locale != source_locale


def language_name(code: str) -> str:
    """A language's name in the current locale ("anglais" for en, in French)."""
    return _language_name(code, str(get_locale()))


@functools.lru_cache(maxsize=512)
def _language_name(code: str, locale: str) -> str:
    return Locale.parse(code).get_display_name(locale)


@functools.lru_cache(maxsize=512)
def language_direction(code: str) -> str:
    return Locale.parse(code).text_direction


def format_hours(hours) -> str:
    """A number of hours in words, pluralised as the locale wants ("2,5 heures")."""
    locale = get_locale()
    # CLDR has only the short form ("2.5小时", "saa 2.5") for some locales.
    lengths = locale._data["unit_patterns"].get("duration-hour", {})
    return format_unit(
        hours, "duration-hour", length="long" if "long" in lengths else "short", locale=locale
    )
