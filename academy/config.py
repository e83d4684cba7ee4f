"""Configuration: defaults, then the instance folder, then the environment.

Order (as in Flask's flaskr tutorial, plus prefixed environment variables):
this module's defaults → ``instance/config.py`` → environment → the test dict.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def instance_path() -> Path:
    """The instance folder: ``ACADEMY_INSTANCE`` or ``./instance`` beside the checkout."""
    configured = os.environ.get("ACADEMY_INSTANCE")
    if configured:
        return Path(configured).expanduser().resolve()
    return REPO_ROOT / "instance"


def content_path(kind: str) -> Path:
    """The courses or scenarios folder (``ACADEMY_COURSES`` / ``ACADEMY_SCENARIOS``)."""
    configured = os.environ.get(f"ACADEMY_{kind.upper()}")
    if configured:
        return Path(configured).expanduser().resolve()
    candidate = REPO_ROOT / kind
    if candidate.is_dir():
        return candidate
    return Path.cwd() / kind


def database_url(instance: Path) -> str:
    """``DATABASE_URL``, or a SQLite file in the instance folder."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        # Heroku-style URLs name the driver implicitly; we ship psycopg 3.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    return f"sqlite:///{instance / 'academy.db'}"


def secret_key(instance: Path) -> str:
    """``SECRET_KEY``, or one generated once and kept in the instance folder."""
    configured = os.environ.get("SECRET_KEY")
    if configured:
        return configured
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Create with owner-only permissions; a concurrent first start may win the race.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


class Defaults:
    """Settings every deployment starts from."""

    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False
    WTF_CSRF_TIME_LIMIT = 8 * 3600  # a whole shift at the counter
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # intranet over http by default; set true behind TLS
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 12 * 3600
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute"
    # Residents' feedback cards through a QR code: cards per phone address, cards per
    # code (one window is busy, but not that busy), and page views per address.
    RATELIMIT_RESIDENT_CARD = "5 per 10 minutes"
    RATELIMIT_RESIDENT_CODE = "60 per hour"
    RATELIMIT_RESIDENT_VIEW = "60 per minute"
    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_Hans_CN", "en")
    PAGE_SIZE = 50


def from_environment() -> dict:
    """Settings read from the environment (without the ``ACADEMY_`` prefix where relevant)."""
    settings: dict = {}
    if os.environ.get("SESSION_COOKIE_SECURE", "").lower() in {"1", "true", "yes"}:
        settings["SESSION_COOKIE_SECURE"] = True
        settings["REMEMBER_COOKIE_SECURE"] = True
    if os.environ.get("RATELIMIT_STORAGE_URI"):
        settings["RATELIMIT_STORAGE_URI"] = os.environ["RATELIMIT_STORAGE_URI"]
    if os.environ.get("ACADEMY_ADMIN_PASSWORD"):
        settings["ADMIN_PASSWORD"] = os.environ["ACADEMY_ADMIN_PASSWORD"]
    return settings
