"""The baseline: the smallest Flask app, served the same way, so ratios cancel out the machine."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, world!"
