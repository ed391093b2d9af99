"""Message drafts and other text written to a client, worded through gettext.

`render_client_text` is the one function every text addressed to a client goes through
(the drafts here and the offboarding kit's closing report): it takes the client, so the
client's own language can be switched on around it in one place once clients have one.
"""

from __future__ import annotations

from flask import render_template

from app.domain.handling import DRAFT_KEYS
from app.i18n import in_language
from app.models import Client


def render_client_text(client: Client, template: str, **context) -> str:
    """Render a plain-text template addressed to `client`, in the client's language
    (autoescape is off for .txt: the text is escaped where it is shown in a page, and sent
    as plain text)."""
    with in_language(client.language):
        return render_template(template, client=client, **context).strip()


def render_draft(client: Client, key: str, **context) -> str:
    if key not in DRAFT_KEYS:
        raise KeyError(key)
    return render_client_text(client, f"incidents/drafts/{key}.txt", **context)
