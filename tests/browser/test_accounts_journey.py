"""A learner's first visit on a phone: register, read the site in Arabic, sign out and in,
and reset a forgotten password."""

import logging
import re

import pytest

pytestmark = pytest.mark.browser

EMAIL = "zainab@example.org"
PASSWORD = "mint tea and dates 9"
NEW_PASSWORD = "jasmine harbour lamp 4"


def register(page):
    page.goto("/")
    page.audit()
    page.get_by_role("link", name="Create an account").click()
    page.audit()
    page.get_by_label("Full name").fill("Zainab Haddad")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_label("Country").select_option("JO")
    page.get_by_label("Preferred language").select_option("en")
    page.get_by_role("button", name="Create my account").click()
    page.audit()
    assert page.get_by_text("Welcome, Zainab Haddad").is_visible()


def sign_out(page):
    page.locator("form[action='/sign-out'] button").click()
    page.audit()
    assert page.locator("a[href='/sign-in']").first.is_visible()


def sign_in(page, password):
    page.locator("a[href='/sign-in']").first.click()
    page.audit()
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(password)
    page.locator("form.stacked button[type=submit]").click()
    page.audit()
    assert page.locator("form[action='/sign-out']").is_visible()


def test_register_switch_to_arabic_sign_out_and_in(page):
    register(page)
    brand = page.locator(".brand")
    assert brand.bounding_box()["x"] < 40, "in English the brand sits on the left"

    page.locator("#language-select").select_option("ar")
    page.locator(".language-switcher button").click()
    page.audit()
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert html.get_attribute("lang") == "ar"
    box = brand.bounding_box()
    assert box["x"] + box["width"] > 320, "in Arabic the layout mirrors: the brand moves right"
    assert re.search(r"[\u0600-\u06FF]", page.locator("h1").inner_text()), "in Arabic"

    sign_out(page)
    sign_in(page, PASSWORD)
    assert page.locator("html").get_attribute("dir") == "rtl", "the choice was saved"


def test_reset_a_forgotten_password(page, create_user, caplog):
    create_user(email=EMAIL, password=PASSWORD, name="Zainab Haddad")
    page.goto("/sign-in")
    page.audit()
    page.get_by_role("link", name="Forgot your password?").click()
    page.audit()
    with caplog.at_level(logging.INFO, logger="app.mail"):
        page.get_by_label("Email address").fill(EMAIL)
        page.get_by_role("button", name="Send me a link").click()
        page.audit()
    assert page.get_by_text("If an account uses that address").is_visible()
    mail = next(r.getMessage() for r in caplog.records if r.name == "app.mail")
    link = re.search(r"https?://\S+/password/reset/\S+", mail).group(0)

    page.goto(link)
    page.audit()
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save my new password").click()
    page.audit()
    assert page.get_by_text("Your password is changed.").is_visible()

    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(NEW_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.audit()
    assert page.get_by_text("Welcome, Zainab Haddad").is_visible()
