"""Rendered bytes shared by every worker and every app server: Redis when configured,
this process's memory otherwise.

What is kept here can always be made again (a chart, the comparison page's content), so
the store is a cache and never a source of truth: an entry's key names everything it was
made from (review id, data version, state, locale, ...), so a changed review never meets
its old entry and nothing needs invalidating across servers.

- `REDIS_URL` set (e.g. redis://10.0.0.5:6379/0): one store for all app servers. Entries
  expire after CACHE_TTL_SECONDS (default one day) and Redis evicts under its own
  `maxmemory` policy. If Redis cannot be reached a lookup is a miss and a write is
  dropped: the page is drawn afresh and still served, never an error.
- Not set: an LRU per process (cachetools' TLRUCache behind a lock; CHART_CACHE_SIZE
  entries, default 256), as Candor behaved on one server before; each gunicorn worker
  then draws each chart once.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections.abc import Callable, Hashable

from cachetools import TLRUCache
from flask import current_app

DEFAULT_CACHE_SIZE = 256
DEFAULT_TTL_SECONDS = 24 * 3600
_log = logging.getLogger(__name__)


class MemoryStore:
    """This process's own store: cachetools' time-aware LRU (an entry may carry a TTL), made
    safe for a worker's threads by one lock, with counters for tests and the benchmark."""

    shared = False

    def __init__(self, size: int, timer: Callable[[], float] = time.monotonic) -> None:
        self.size = max(0, size)
        self._entries = TLRUCache(maxsize=max(1, self.size), ttu=_expires, timer=timer)
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self.hits += 1
            return entry[0]

    def put(self, key: Hashable, body: bytes, ttl: int | None = None) -> None:
        if self.size == 0:
            return
        with self._lock:
            self._entries[key] = (body, ttl)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


def _expires(_key: Hashable, entry: tuple[bytes, int | None], now: float) -> float:
    """When an entry of (body, ttl in seconds or None) stops being served."""
    ttl = entry[1]
    return now + ttl if ttl else math.inf


class RedisStore:
    """The same interface over Redis. Keys are `<prefix>:<sha256 of the key's repr>`, so
    any tuple of plain values is a key and no user text reaches Redis's key space."""

    shared = True

    def __init__(self, url: str, prefix: str, ttl: int) -> None:
        import redis  # only needed when configured

        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._errors = redis.exceptions.RedisError
        self.prefix = prefix
        self.ttl = ttl
        self.hits = 0
        self.misses = 0

    def _name(self, key: Hashable) -> str:
        return f"{self.prefix}:{hashlib.sha256(repr(key).encode()).hexdigest()}"

    def get(self, key: Hashable) -> bytes | None:
        try:
            body = self._redis.get(self._name(key))
        except self._errors as error:
            _log.warning("shared store unavailable, drawing afresh: %s", error)
            body = None
        if body is None:
            self.misses += 1
            return None
        self.hits += 1
        return body

    def put(self, key: Hashable, body: bytes, ttl: int | None = None) -> None:
        try:
            self._redis.set(self._name(key), body, ex=ttl or self.ttl)
        except self._errors as error:
            _log.warning("shared store unavailable, entry not kept: %s", error)

    def clear(self) -> None:
        """Remove this app's entries (its prefix only; other apps on the server keep theirs)."""
        try:
            names = list(self._redis.scan_iter(match=f"{self.prefix}:*", count=1000))
            if names:
                self._redis.delete(*names)
        except self._errors as error:
            _log.warning("shared store unavailable, nothing cleared: %s", error)
        self.hits = self.misses = 0

    def __len__(self) -> int:
        try:
            return sum(1 for _ in self._redis.scan_iter(match=f"{self.prefix}:*", count=1000))
        except self._errors:
            return 0


def shared_store() -> MemoryStore | RedisStore:
    """This app's store (one per app object, so test apps never share entries)."""
    extensions = current_app.extensions
    store = extensions.get("candor_shared_store")
    if store is None:
        config = current_app.config
        url = config.get("REDIS_URL") or ""
        if url:
            made: MemoryStore | RedisStore = RedisStore(
                url,
                config.get("CACHE_KEY_PREFIX") or "candor",
                int(config.get("CACHE_TTL_SECONDS") or DEFAULT_TTL_SECONDS),
            )
        else:
            made = MemoryStore(config.get("CHART_CACHE_SIZE", DEFAULT_CACHE_SIZE))
        store = extensions.setdefault("candor_shared_store", made)
    return store
