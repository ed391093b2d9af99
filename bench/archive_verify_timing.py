"""The archive benchmark's long part (bench/archive.py, skipped with --no-verify): the full
CSV export's time and memory, and verify-archive over every decision, beside a baseline
measured in the same run (reading every record and seal and HMAC-ing it once)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import tracemalloc

from bench.common import load

VERIFY_TARGET_S = 10.0


def baseline_seconds() -> float:
    """The floor under verify-archive, measured in the same run: read every decision's
    record text and seal, and HMAC them once, with no other check. verify-archive's ratio
    to it says what its checks cost on this machine, whatever its speed or load."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Decision

    key = secrets.token_bytes(32)
    began = time.perf_counter()
    query = select(Decision.digest, Decision.record_text).order_by(Decision.sequence)
    for rows in db.session.connection().execute(query).partitions(1000):
        for digest, text in rows:
            hmac.new(key, f"{digest}\n{text}".encode(), hashlib.sha256).hexdigest()
    return time.perf_counter() - began


def time_export_and_verify(lead, count: int) -> None:
    """Print the full CSV export's figures and verify-archive's, quick and full."""
    from app.extensions import db
    from app.services import archive_export
    from app.services.archive_query import ArchiveFilters
    from app.services.archive_verify import verify_archive

    tracemalloc.start()
    began = time.perf_counter()
    size = sum(
        len(chunk)
        for chunk in archive_export.csv_chunks(archive_export.export_rows(lead, ArchiveFilters()))
    )
    seconds = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(
        f"\nFull CSV export: {count:,} rows, {size / 2**20:.1f} MiB of text in "
        f"{seconds:.1f} s (traced, slower than untraced); peak Python memory "
        f"{peak:.1f} MiB."
    )
    db.session.expire_all()
    before = baseline_seconds()
    timed = []
    for label, answers in (("--quick", False), ("(full)", True)):
        began, cpu = time.perf_counter(), time.process_time()
        result = verify_archive(answers=answers)
        timed.append((label, result, time.perf_counter() - began, time.process_time() - cpu))
        db.session.expire_all()
    after = baseline_seconds()
    baseline = (before + after) / 2
    print(
        f"Baseline, reading every record and seal and HMAC-ing it once: {before:.1f} s "
        f"before, {after:.1f} s after. {load()}."
    )
    for label, result, seconds, cpu in timed:
        state = "intact" if result.ok else result.reason
        verdict = "ok" if seconds < VERIFY_TARGET_S else "over"
        print(
            f"verify-archive {label} over {result.checked:,} decisions: {seconds:.1f} s "
            f"({cpu:.1f} s CPU; {VERIFY_TARGET_S:g} s target: {verdict}), {state}; "
            f"/ baseline: {seconds / baseline:.1f}x."
        )
