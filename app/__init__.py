"""Candor: the application factory."""

from __future__ import annotations

import gc
from pathlib import Path

from flask import Flask

from app.config import load_config


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    from app.ids import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route is registered
    app.config.update(load_config(Path(app.instance_path)))
    if config:
        app.config.update(config)
    if app.config["TRUSTED_PROXIES"]:
        # Behind nginx or a load balancer: trust its X-Forwarded-* headers (client address
        # for rate limits, https for HSTS and secure cookies), and only from that many hops.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from app import logs

    logs.init_app(app)

    from app.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    from app import i18n

    babel.init_app(app, locale_selector=i18n.select_language)
    i18n.init_app(app)
    login_manager.init_app(app)

    from app import database, models, security  # noqa: F401  (models: metadata for Alembic)

    database.configure_sqlite(app)
    database.configure_postgresql(app)
    security.init_app(app)

    from app.services import thresholds

    thresholds.init_app(app)

    from app.admin import bp as admin_bp
    from app.archive import bp as archive_bp
    from app.auth import bp as auth_bp
    from app.clients import bp as clients_bp
    from app.errors import bp as errors_bp
    from app.graphs import bp as graphs_bp
    from app.incidents import bp as incidents_bp
    from app.main import bp as main_bp
    from app.offboarding import bp as offboarding_bp
    from app.respond import bp as respond_bp
    from app.reviews import bp as reviews_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(clients_bp)
    app.register_blueprint(reviews_bp)
    app.register_blueprint(graphs_bp)
    app.register_blueprint(respond_bp)
    app.register_blueprint(archive_bp)
    app.register_blueprint(incidents_bp)
    app.register_blueprint(offboarding_bp)
    app.register_blueprint(errors_bp)

    from app.cli import register_cli

    register_cli(app)
    from app import template_helpers

    template_helpers.init_app(app)
    return app


def settle_heap() -> None:
    """Keep everything made at start-up (modules, the app, its templates and forms) out of
    the garbage collector's full passes. It lives as long as the process; without this a
    request that makes many objects (a 5,000-answer comparison, a large form's POST) pays
    for walking all of it every few requests. Called once the app is built: by wsgi.py
    for each gunicorn worker, and by the benchmark so it measures the app as served."""
    gc.collect()
    gc.freeze()
