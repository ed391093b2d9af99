"""The catalogue's languages and which of its fields are texts a reader reads.

A catalogue document is written in the source language (English) and may carry
`translations`: per language, per dimension or category key, the texts in that
language. A text that is not translated falls back to the source, as survey tools do.
"""

from __future__ import annotations

# The languages Candor speaks; English is the source every document is written in.
SOURCE_LANGUAGE = "en"
CATALOGUE_LANGUAGES: tuple[str, ...] = ("en", "da", "hu")

DIMENSION_TEXT_FIELDS: tuple[str, ...] = ("title", "team_statement", "client_statement")
CATEGORY_TEXT_FIELDS: tuple[str, ...] = ("name", "description", "warning_signs", "handling")
LIST_TEXT_FIELDS: tuple[str, ...] = ("warning_signs", "handling")


def missing_texts(translations, dimensions, categories) -> list[tuple[str, str, str, str]]:
    """(language, "dimensions"|"categories", key, field) for every text a language lacks."""
    missing = []
    for language in CATALOGUE_LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        texts = translations.get(language, {})
        for kind, items, fields in (
            ("dimensions", dimensions, DIMENSION_TEXT_FIELDS),
            ("categories", categories, CATEGORY_TEXT_FIELDS),
        ):
            for item in items:
                present = texts.get(kind, {}).get(item.key, {})
                missing += [
                    (language, kind, item.key, name) for name in fields if name not in present
                ]
    return missing
