"""A bare Flask hello-world: the yardstick the load benchmark compares against."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, world!"
