"""Configuration: embedded defaults, then the environment, then the test mapping."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

DEFAULT_MAIL_FROM = "Platform JEP <noreply@localhost>"
DEV_SECRET_FILE = "secret_key"  # noqa: S105 - a file name, not a secret


class ConfigError(RuntimeError):
    """Raised when the configuration is unsafe to run with."""


def _env_bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _load_dotenv(root: Path) -> None:
    env_file = root / ".env"
    if env_file.exists():
        from dotenv import load_dotenv

        load_dotenv(env_file, override=False)


def _dev_secret_key(instance_path: Path) -> str:
    """A random key generated once and kept in the instance folder (embedded default)."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / DEV_SECRET_FILE
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _broker_transport_options(broker_url: str | None, env) -> dict:
    if broker_url and broker_url.startswith(("sqla+", "sqlalchemy+")):
        # Passed to SQLAlchemy's create_engine: wait for SQLite's lock, never fail fast.
        return {"connect_args": {"timeout": 30}}
    # How long a task taken by a worker that then died waits before another worker
    # gets it (Redis). Longer than the longest retry countdown.
    return {"visibility_timeout": int(env.get("CELERY_VISIBILITY_TIMEOUT", "3600"))}


def build_config(instance_path: Path, root: Path, overrides: dict[str, Any] | None) -> dict:
    """Merge defaults, environment and overrides into one Flask config mapping."""
    _load_dotenv(root)
    env = os.environ
    overrides = dict(overrides or {})
    is_production = _env_bool(env.get("PRODUCTION")) or env.get("FLASK_ENV") == "production"
    base_url = env.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")

    config: dict[str, Any] = {
        "IS_PRODUCTION": is_production,
        "SITE_NAME": env.get("SITE_NAME", "Platform JEP"),
        "BASE_URL": base_url,
        "MAIL_FROM": env.get("MAIL_FROM", DEFAULT_MAIL_FROM),
        # Optional: where replies to email go (a Reply-To header); unset, there is none.
        "MAIL_REPLY_TO": env.get("MAIL_REPLY_TO") or None,
        "SMTP_URL": env.get("SMTP_URL") or None,
        "REDIS_URL": env.get("REDIS_URL") or None,
        "CELERY_BROKER_URL": env.get("CELERY_BROKER_URL") or None,
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL")
        or f"sqlite:///{instance_path / 'jep.sqlite3'}",
        "APPROVED_EMAIL_DOMAINS": env.get("APPROVED_EMAIL_DOMAINS", ""),
        "OUTBOX_DIR": str(instance_path / "outbox"),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "LANGUAGES": ("nl", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_HEADERS_ENABLED": True,
        # A Redis outage must not take logins down: fall back to per-process memory.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        # Connections that died (a database restart) are replaced, not handed out: one
        # idle this long is pinged before use (`core.db.ping_after_idle`).
        "DATABASE_PING_AFTER_IDLE_SECONDS": float(
            env.get("DATABASE_PING_AFTER_IDLE_SECONDS", "10")
        ),
        "EVENT_REMINDER_HOURS": int(env.get("EVENT_REMINDER_HOURS", "24")),
        # Delivered (or given up) emails are deleted after this many days (AVG).
        "OUTBOX_RETENTION_DAYS": int(env.get("OUTBOX_RETENTION_DAYS", "90")),
        # Advice desk: closed questions are erased after this many days (numbers stay);
        # the assigned adviser is reminded this many hours before a first answer is due;
        # advisers get their overview at this local hour on working days.
        "ADVICE_RETENTION_DAYS": int(env.get("ADVICE_RETENTION_DAYS", "365")),
        "ADVICE_REMINDER_HOURS": int(env.get("ADVICE_REMINDER_HOURS", "24")),
        "ADVICE_OVERVIEW_HOUR": int(env.get("ADVICE_OVERVIEW_HOUR", "8")),
        "TRUSTED_HOSTS": None,
        # Requests per API token (or per address without one), Flask-Limiter syntax.
        "API_RATE_LIMIT": env.get("API_RATE_LIMIT", "300 per minute;5000 per hour"),
        "QUERY_COUNT_HEADER": _env_bool(env.get("QUERY_COUNT_HEADER")),
        "TESTING": False,
    }
    secure = base_url.startswith("https://")
    config["SESSION_COOKIE_SECURE"] = secure
    config["REMEMBER_COOKIE_SECURE"] = secure
    if is_production:
        from urllib.parse import urlsplit

        config["TRUSTED_HOSTS"] = [urlsplit(base_url).hostname]

    # Operational knobs that may be tuned from the environment (integers or booleans).
    for name in ("POST_MIN_INTERVAL_SECONDS", "NEW_MEMBER_POST_MIN_INTERVAL_SECONDS"):
        if env.get(name):
            config[name] = int(env[name])
    if env.get("RATELIMIT_ENABLED"):
        config["RATELIMIT_ENABLED"] = _env_bool(env["RATELIMIT_ENABLED"])

    secret = env.get("SECRET_KEY")
    config.update(overrides)
    if "SECRET_KEY" not in overrides:
        if secret:
            config["SECRET_KEY"] = secret
        elif config["IS_PRODUCTION"]:
            raise ConfigError("SECRET_KEY must be set in production.")
        else:
            config["SECRET_KEY"] = _dev_secret_key(instance_path)
    if config["IS_PRODUCTION"] and (
        len(config["SECRET_KEY"]) < 32 or config["SECRET_KEY"] in {"dev", "changeme", "secret"}
    ):
        raise ConfigError("SECRET_KEY is too weak for production (32+ random characters).")

    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # PostgreSQL's JIT compiles any plan it estimates to be expensive; for the short
        # queries of a web page that costs 50-100 ms each time and gains nothing.
        options = config["SQLALCHEMY_ENGINE_OPTIONS"] = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
        connect_args = options["connect_args"] = dict(options.get("connect_args", {}))
        connect_args.setdefault("options", "-c jit=off")

    redis_url = config["REDIS_URL"]
    # Without Redis, `make run` points every process at a broker that needs no server
    # (kombu's SQLAlchemy transport on a SQLite file); with neither, tasks run in-process.
    broker_url = redis_url or config["CELERY_BROKER_URL"]
    config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    config.setdefault(
        "CELERY",
        {
            "broker_url": broker_url or "memory://",
            "result_backend": None,
            "task_always_eager": broker_url is None,
            "task_eager_propagates": False,
            "task_serializer": "json",
            "accept_content": ["json"],
            "result_serializer": "json",
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            "task_ignore_result": True,
            "broker_connection_retry_on_startup": True,
            "broker_transport_options": _broker_transport_options(broker_url, env),
            "timezone": "UTC",
        },
    )
    return config
