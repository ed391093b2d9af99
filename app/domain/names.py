"""When two names a person typed are the same name.

"Acme AS", " acme  as " and "ACME AS" name one client; so do a name typed with a
zero-width space or a bidirectional control inside it and the same name without. The key
below is what the database keeps unique (clients.name_key): compatibility-normalised
(NFKC, so a full-width "Ａcme" is "Acme"), invisible format characters removed, runs of
white space made one space, trimmed, and case-folded (Unicode-aware, so "STRASSE" and
"straße" agree on every database, which SQL's lower() does not).
"""

from __future__ import annotations

import unicodedata

NAME_KEY_MAX = 600  # a 200-character name case-folds to at most three times as many


def name_key(name: str) -> str:
    """The comparison key of a name; empty when the name has nothing visible in it."""
    normalised = unicodedata.normalize("NFKC", name)
    visible = "".join(ch for ch in normalised if unicodedata.category(ch) != "Cf")
    return " ".join(visible.split()).casefold()
