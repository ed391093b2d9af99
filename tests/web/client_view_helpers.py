"""Driving the client's two-step page from the test client: check, then send."""

from __future__ import annotations

import re

FINGERPRINT = re.compile(r'name="checked" value="([0-9a-f]{64})"')


def fingerprint(response) -> str:
    match = FINGERPRINT.search(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)[:2000]
    return match.group(1)


def check_answers(http, token: str, data: dict):
    """The first POST: the check step, which must store nothing."""
    return http.post(f"/respond/{token}", data=data)


def send_answers(http, token: str, data: dict):
    """Check, then press "Send my answers" with what the check step showed."""
    checked = check_answers(http, token, data)
    assert checked.status_code == 200, checked.get_data(as_text=True)[:2000]
    return http.post(
        f"/respond/{token}", data={**data, "checked": fingerprint(checked), "send": "1"}
    )
