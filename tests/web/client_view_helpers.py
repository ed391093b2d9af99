"""Driving the client's two-step page from the test client: check, then send."""

from __future__ import annotations

import re

from app.extensions import db
from app.models import ClientAnswerRow, ClientLink, ClientResponseRow

SKIP = "skip"  # the explicit "I can't judge this" (the lead's "Not stated")


def keys(catalogue) -> list[str]:
    return [d.key for d in catalogue.dimensions]


def partial(catalogue, answered=3, skipped=2) -> dict[str, str]:
    """The first `answered` statements rated, the next `skipped` explicitly skipped, the
    rest left untouched."""
    k = keys(catalogue)
    data = {f"rating__{key}": str(2 + n % 3) for n, key in enumerate(k[:answered])}
    data.update({f"rating__{key}": SKIP for key in k[answered : answered + skipped]})
    return data


def stored_nothing(link_used: bool = False) -> bool:
    db.session.expire_all()
    link = db.session.query(ClientLink).one()
    return (
        db.session.query(ClientResponseRow).count() == 0
        and db.session.query(ClientAnswerRow).count() == 0
        and (link.used_at is not None) == link_used
    )


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
