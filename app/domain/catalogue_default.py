"""The default catalogue (version 1): the ten categories from the two seed documents.

The data lives in catalogue_default.json next to this file so that an admin can
read it, copy it and publish an edited version; this module only loads and
validates it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from app.domain.catalogue import Catalogue

DEFAULT_CATALOGUE_PATH = Path(__file__).with_name("catalogue_default.json")


def default_catalogue_document() -> dict:
    """The raw JSON document, e.g. to store as catalogue version 1."""
    return json.loads(DEFAULT_CATALOGUE_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The parsed default catalogue; cached because a Catalogue is immutable."""
    return Catalogue.from_dict(default_catalogue_document())
