"""The shared store: an LRU in memory without Redis, Redis when REDIS_URL is set, and a
miss (never an error) when Redis cannot be reached."""

from __future__ import annotations

import os
import secrets
import socket

import pytest

from app import create_app
from app.services.shared_store import MemoryStore, RedisStore, shared_store

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


def _redis_or_fail():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")


def test_without_redis_the_store_is_this_processes_memory(app):
    with app.app_context():
        assert isinstance(shared_store(), MemoryStore)


def test_the_memory_store_forgets_the_least_recently_used_first():
    store = MemoryStore(2)
    store.put(("a",), b"1")
    store.put(("b",), b"2")
    assert store.get(("a",)) == b"1"
    store.put(("c",), b"3")
    assert store.get(("b",)) is None and store.get(("a",)) == b"1" and len(store) == 2
    assert (store.hits, store.misses) == (2, 1)


def test_a_memory_entry_with_a_lifetime_expires():
    now = [1000.0]
    store = MemoryStore(4, timer=lambda: now[0])
    store.put(("k",), b"v", ttl=10)
    assert store.get(("k",)) == b"v"
    now[0] += 11
    assert store.get(("k",)) is None


def test_a_store_of_size_zero_keeps_nothing():
    store = MemoryStore(0)
    store.put(("k",), b"v")
    assert store.get(("k",)) is None


def test_with_redis_url_two_apps_share_one_store_under_their_prefix():
    _redis_or_fail()
    prefix = f"candor-test-{secrets.token_hex(4)}"
    config = {
        "TESTING": True,
        "SECRET_KEY": "x",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
    }
    one = create_app({**config, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    other = create_app({**config, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with one.app_context():
        store = shared_store()
        assert isinstance(store, RedisStore) and store.shared
        store.put(("chart", 1, "da"), b"<svg/>")
    with other.app_context():
        assert shared_store().get(("chart", 1, "da")) == b"<svg/>"
        assert shared_store().get(("chart", 1, "en")) is None
        assert len(shared_store()) == 1
        shared_store().clear()
        assert len(shared_store()) == 0


def test_redis_url_also_holds_the_rate_limit_counters_unless_told_otherwise(monkeypatch, tmp_path):
    from app.config import load_config

    monkeypatch.setenv("REDIS_URL", "redis://10.0.0.5:6379/0")
    monkeypatch.setenv("CACHE_KEY_PREFIX", "candor-eu")
    config = load_config(tmp_path)
    assert config["RATELIMIT_STORAGE_URI"] == "redis://10.0.0.5:6379/0"
    assert config["RATELIMIT_KEY_PREFIX"] == config["CACHE_KEY_PREFIX"] == "candor-eu"
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://10.0.0.6:6379/1")
    assert load_config(tmp_path)["RATELIMIT_STORAGE_URI"] == "redis://10.0.0.6:6379/1"
    monkeypatch.delenv("REDIS_URL")
    monkeypatch.delenv("RATELIMIT_STORAGE_URI")
    assert load_config(tmp_path)["RATELIMIT_STORAGE_URI"] == "memory://"


def test_an_unreachable_redis_is_a_miss_not_an_error():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store = RedisStore(f"redis://127.0.0.1:{port}/0", "candor-test", 60)
    store.put(("k",), b"v")
    assert store.get(("k",)) is None and store.misses == 1
    store.clear()
    assert len(store) == 0
