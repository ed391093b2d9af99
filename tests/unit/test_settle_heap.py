"""The served app's start-up heap is kept out of the garbage collector's full passes
(app.settle_heap): wsgi.py does it for every gunicorn worker, and the benchmark measures
the app the same way."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_settle_heap_freezes_what_exists_and_collects_first():
    from app import settle_heap

    class Cycle:
        pass

    garbage = Cycle()
    garbage.itself = garbage  # a cycle only the collector frees
    collected_before = gc.get_stats()[2]["collected"]
    del garbage
    try:
        settle_heap()
        assert gc.get_freeze_count() > 0
        # The cycle was collected before the freeze, not frozen for good.
        assert gc.get_stats()[2]["collected"] > collected_before
    finally:
        gc.unfreeze()


def test_wsgi_settles_the_heap_of_the_app_it_serves(tmp_path):
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'candor.db'}",
        "SECRET_KEY": "x" * 64,
        "ARCHIVE_KEY": "y" * 64,
    }
    probe = "import gc, wsgi; print(gc.get_freeze_count())"
    shown = subprocess.run(  # noqa: S603 - this interpreter, a fixed one-line program
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert int(shown.stdout.strip().splitlines()[-1]) > 10_000
