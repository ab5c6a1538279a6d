"""Fixtures: the app on SQLite and PostgreSQL, factories, and the real-services layer."""

from __future__ import annotations

import itertools
import re
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, select

from composition import create_app
from core.extensions import db
from tests import factories
from tests.fixtures.services import IS_CI, POSTGRES_ADMIN_URL, need, postgres_available

pytest_plugins = ["tests.fixtures.live", "tests.fixtures.browser"]


def _cheap_password_hashing() -> None:
    """Argon2id with the cheapest parameters: the suite logs in hundreds of times, and
    production's cost (about 0.2 s a hash here) tests nothing that these do not."""
    from argon2 import PasswordHasher, profiles

    import auth.passwords

    auth.passwords._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    auth.passwords._DUMMY_HASH = auth.passwords._hasher.hash("not-a-real-password-000")


_cheap_password_hashing()

BACKENDS = ["sqlite", "postgresql"]
PRESERVED_TABLES = {"regions", "sectors", "functions", "tags", "event_types", "alembic_version"}
TEST_PASSWORD = "correct horse battery staple"


# --- databases ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("jep")


@pytest.fixture(scope="session")
def postgres_url():
    """A database of our own on the PostgreSQL server, dropped at the end."""
    if not postgres_available():
        need(False, "PostgreSQL on 127.0.0.1:5432")
    import psycopg

    name = f"jep_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    yield f"{base}/{name}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_schemas_ready: dict[str, set[str]] = {}


def database_url(backend: str, request) -> str:
    if backend == "sqlite":
        directory = request.getfixturevalue("session_dir")
        return f"sqlite:///{directory / 'test.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def base_config(url: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-000",
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_PATH": str(instance),
        "OUTBOX_DIR": str(instance / "outbox"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "REDIS_URL": None,
        "CELERY_BROKER_URL": None,
        "SMTP_URL": None,
        "BASE_URL": "http://localhost",
        "SERVER_NAME": None,
    }


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh app context, as in production.

    The fixtures keep an app context pushed for test code; without this, requests
    would reuse it and share `g` (the logged-in user, the locale) and the DB session.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def build_test_app(url: str, instance: Path, **overrides):
    config = base_config(url, instance)
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = IsolatedClient
    import core.mail

    core.mail._broker_down_until = 0.0  # A broker outage in an earlier test is over.
    with app.app_context():
        tables = set(db.metadata.tables)
        if not tables <= _schemas_ready.get(url, set()):
            # create_all skips existing tables; a model module imported later adds more.
            db.create_all()
            from core.taxonomy import load_taxonomy

            load_taxonomy()
            db.session.commit()
            _schemas_ready[url] = tables
        wipe_data()
    return app


def wipe_data() -> None:
    """Delete every row except the reference data, children first."""
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in PRESERVED_TABLES:
                conn.execute(table.delete())
    db.session.remove()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    if request.param == "postgresql" and not (IS_CI or postgres_available()):
        pytest.skip("PostgreSQL not available")
    return request.param


@pytest.fixture
def app_config() -> dict:
    """Override in a test module to change the configuration of `app`."""
    return {}


@pytest.fixture
def app(backend, request, tmp_path, app_config):
    url = database_url(backend, request)
    app = build_test_app(url, tmp_path, **app_config)
    with app.app_context():
        yield app
        db.session.remove()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def sqlite_app(request, tmp_path, app_config):
    """The app on SQLite only, for tests where the database does not matter."""
    app = build_test_app(database_url("sqlite", request), tmp_path, **app_config)
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def pg_app(request, tmp_path, app_config):
    """The app on PostgreSQL only (concurrency, Dutch full-text search)."""
    need(IS_CI or postgres_available(), "PostgreSQL on 127.0.0.1:5432")
    app = build_test_app(request.getfixturevalue("postgres_url"), tmp_path, **app_config)
    with app.app_context():
        yield app
        db.session.remove()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


# --- factories ----------------------------------------------------------------------

_counter = itertools.count(1)


def term(model, key: str | None = None):
    stmt = select(model).order_by(model.position)
    if key:
        stmt = stmt.where(model.key == key)
    return db.session.scalars(stmt).first()


@pytest.fixture
def make_user(app):
    """Create an account: `make_user(role="member", status="active", sector="politie")`."""
    from auth.models import User
    from auth.passwords import hash_password
    from core.db import utcnow
    from core.taxonomy import Function, Region, Sector

    password_hash = hash_password(TEST_PASSWORD)

    def factory(
        name: str | None = None,
        *,
        email: str | None = None,
        role: str = "member",
        status: str = "active",
        sector: str | None = None,
        region: str | None = None,
        function: str | None = None,
        with_2fa: bool = False,
        **fields,
    ) -> User:
        n = next(_counter)
        user = User(
            email=email or f"member{n}@example.org",
            display_name=name or f"Member {n}",
            organisation="Gemeente Voorbeeld",
            password_hash=password_hash,
            role=role,
            status=status,
            sector_id=term(Sector, sector).id,
            function_id=term(Function, function).id,
            region_id=term(Region, region).id,
            email_confirmed_at=utcnow() if status != "pending" else None,
            approved_at=utcnow() if status == "active" else None,
            terms_accepted_at=utcnow(),
            **fields,
        )
        if with_2fa:
            import pyotp

            user.totp_secret = pyotp.random_base32()
            user.totp_enabled_at = utcnow()
        db.session.add(user)
        db.session.commit()
        return user

    return factory


# The shared factories (tests/factories.py) as fixtures of the same name.


@pytest.fixture(name="make_group")
def _make_group_fixture(app):
    return factories.make_group


@pytest.fixture(name="join")
def _join_fixture(app):
    return factories.join


@pytest.fixture(name="make_thread")
def _make_thread_fixture(app):
    return factories.make_thread


@pytest.fixture(name="make_knowledge_item")
def _make_knowledge_item_fixture(app):
    return factories.make_knowledge_item


@pytest.fixture(name="make_reply")
def _make_reply_fixture(app):
    return factories.make_reply


@pytest.fixture(name="make_event")
def _make_event_fixture(app):
    return factories.make_event


@pytest.fixture
def login(app):
    """Log a client in as a user: `login(client, user)`; handles 2FA."""

    def do_login(client, user, password: str = TEST_PASSWORD):
        response = client.post("/auth/login", data={"email": user.email, "password": password})
        if response.status_code == 302 and "/auth/login/2fa" in response.headers["Location"]:
            import pyotp

            response = client.post(
                "/auth/login/2fa", data={"code": pyotp.TOTP(user.totp_secret).now()}
            )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do_login


@pytest.fixture
def client_for(app, login):
    """`client_for(user)`: a test client logged in as that member."""

    def factory(user):
        client = app.test_client()
        login(client, user)
        return client

    return factory


@pytest.fixture
def member_client(app, make_user, login):
    """A logged-in, approved member and their client: `(client, user)`."""
    user = make_user()
    client = app.test_client()
    login(client, user)
    return client, user


# --- helpers ------------------------------------------------------------------------


@contextmanager
def count_queries():
    """Count SQL statements run inside the block: `with count_queries() as q: …; q.count`."""

    class Counter:
        count = 0
        statements: list[str] = []  # noqa: RUF012 - reset per use below

    counter = Counter()
    counter.statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
            counter.count += 1
            counter.statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before)


def sent_emails(to: str | None = None, kind: str | None = None):
    """Outbox rows (delivered or not), newest last."""
    from core.models import OutboxMessage

    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if to:
        stmt = stmt.where(OutboxMessage.to_address == to)
    if kind:
        stmt = stmt.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(stmt))


def first_link(text: str, path_fragment: str) -> str:
    """The first absolute URL in `text` containing `path_fragment`, as a path."""
    for url in re.findall(r"https?://[^\s\"<>]+", text):
        if path_fragment in url:
            return re.sub(r"^https?://[^/]+", "", url)
    raise AssertionError(f"no link with {path_fragment!r} in email")
