"""A diagnostic of the load benchmark: Passerelle's fixed cost per signed-in request.

The app exactly as served (signed session cookie, the user read from the database, CSRF,
locale, compression, security headers), plus one page that renders the bare baseline's own
template for the signed-in learner. Its rate is what any signed-in page of the app could
reach before doing its own work: the ceiling for the lesson and quiz pages.
"""

from pathlib import Path

from flask_login import login_required

from app import create_app

app = create_app()
TEMPLATE = app.jinja_env.from_string(
    (Path(__file__).parent / "templates" / "bare.html").read_text(encoding="utf-8")
)


@app.route("/benchmark-floor")
@login_required
def floor():
    paragraphs = ["A paragraph of a lesson, as long as a short one is."] * 10
    return TEMPLATE.render(title="Bare page", paragraphs=paragraphs)
