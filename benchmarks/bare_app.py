"""The baseline of the load benchmark: a bare Flask page, one template, no database."""

from flask import Flask, render_template_string

app = Flask(__name__)

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
{% for paragraph in paragraphs %}<p>{{ paragraph }}</p>{% endfor %}
</main></body></html>"""


@app.route("/")
def page():
    paragraphs = ["A paragraph of a lesson, as long as a short one is."] * 10
    return render_template_string(PAGE, title="Bare page", paragraphs=paragraphs)


@app.route("/healthz")
def healthz():
    return {"status": "ok"}
