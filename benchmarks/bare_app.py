"""The baseline of the load benchmark: a bare Flask page, one template, no database.

The template is a file, rendered with render_template as every page of an app is: Jinja
compiles it once. (render_template_string would compile it on every request, which made
this baseline about 0.7 ms slower than a bare page is, and every ratio look better.)
"""

from flask import Flask, render_template

app = Flask(__name__)


@app.route("/")
def page():
    paragraphs = ["A paragraph of a lesson, as long as a short one is."] * 10
    return render_template("bare.html", title="Bare page", paragraphs=paragraphs)


@app.route("/healthz")
def healthz():
    return {"status": "ok"}
