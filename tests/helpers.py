"""Plain helpers shared by tests (fixtures live in conftest.py)."""

import re
import socket
import threading

PASSWORD = "a-long-test-password"


def csrf_token_from(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def without_token(html: str) -> str:
    """The page with its log-out form's CSRF token blanked: the token is signed with the
    second it was made in, so two requests of the same page differ there and only there."""
    blanked = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1"', html)
    assert blanked != html  # the token was there, and only it was taken out
    return blanked


def run_at_once(app, jobs, timeout: float = 120):
    """Run each job in a thread of its own, all released at the same moment by a barrier,
    each in its own app context and session (real transactions). Returns each job's
    result, or the exception it raised, in the jobs' order."""
    from app.extensions import db

    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        with app.app_context():
            barrier.wait()
            try:
                results[index] = job()
            except Exception as error:  # noqa: BLE001 - collected and asserted by the test
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    db.session.expire_all()  # the test body's copies predate the threads' commits
    return results


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def session_cookie_sent(response) -> str | None:
    """The session cookie a response sends (its Set-Cookie header), or None."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith("session="):
            return header
    return None
