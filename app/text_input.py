"""Short text typed by people (names, contact names, search words): one place decides
what is accepted, so every form refuses the same hostile characters with the same words.

- NUL is never text (and PostgreSQL refuses to store it): it is stripped, here and from
  every submitted form value (app/security.py).
- Bidirectional controls (U+202A-U+202E, U+2066-U+2069, the direction marks) reorder what
  is displayed *after* them: a name ending in U+202E shows the e-mail beside it reversed.
  A name has no use for them, so they are refused with a message.
- Text made only of invisible characters (zero-width spaces, joiners, the BOM, soft
  hyphens) and white space looks empty but is not: it is refused. Inside visible text the
  joiners stay, as some scripts and emoji need them.
"""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f"  # Arabic letter mark, left-to-right and right-to-left marks
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, pop, overrides
    "\u2066\u2067\u2068\u2069"  # isolates
)
INVISIBLE = frozenset("\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")


def strip_nul(value: str) -> str:
    return value.replace("\x00", "")


def clean_text(value: str | None) -> str | None:
    """A form filter: NUL removed, surrounding white space trimmed."""
    if value is None:
        return None
    return strip_nul(value).strip()


def has_bidi_controls(value: str) -> bool:
    return any(c in BIDI_CONTROLS for c in value)


def is_invisible(value: str) -> bool:
    """Non-empty text that shows nothing: only invisible characters and white space."""
    return bool(value) and all(
        c in INVISIBLE or c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in value
    )


class VisibleText:
    """Validator for names and other short fields (see the module's docstring)."""

    def __call__(self, form, field) -> None:
        value = field.data or ""
        if has_bidi_controls(value):
            raise ValidationError(
                _l(
                    "Remove the invisible direction-changing characters (such as U+202E): "
                    "they make text beside this one display in another order."
                )
            )
        if is_invisible(value):
            raise ValidationError(_l("Type visible characters; this text only looks filled in."))
        if any(unicodedata.category(c) == "Cc" for c in value):
            raise ValidationError(_l("Use a single line without control characters."))
