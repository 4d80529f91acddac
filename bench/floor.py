"""The floor: a bare constant Flask view, served by the same gunicorn setup as the app."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def constant():
    return "ok"
