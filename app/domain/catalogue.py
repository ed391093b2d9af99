"""The catalogue: client categories, the self-assessment dimensions they link to, and the scales.

A catalogue is versioned data. A review keeps the version it was opened with, so
editing the catalogue later never changes what an old review asked or how it was
judged. `Catalogue.from_dict` is the only way in from stored JSON and refuses
anything inconsistent; `to_dict` gives back exactly what `from_dict` accepted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from app.domain import catalogue_document as document_rules
from app.domain.catalogue_texts import (
    CATEGORY_TEXT_FIELDS,
    DIMENSION_TEXT_FIELDS,
    LIST_TEXT_FIELDS,
    SOURCE_LANGUAGE,
    missing_texts,
)
from app.domain.errors import CatalogueInvalid, UnknownCategory, UnknownDimension

SCALE: tuple[int, ...] = (1, 2, 3, 4, 5)
# Inclusive bounds, in per cent. Below 50 % a rater is guessing on a two-way call,
# so the form starts at 50 (the usual floor in calibration research).
CONFIDENCE_RANGE: tuple[int, int] = (50, 100)
COMPLEXITY_SCALE: tuple[int, ...] = (1, 2, 3, 4, 5)
# The words for each point of both scales are the web layer's (app/labels.py).

KEY_PATTERN = re.compile(
    r"[a-z][a-z0-9_]{1,40}"
)  # used with fullmatch: "$" would let "key\n" through

_DIMENSION_FIELDS = document_rules.DIMENSION_FIELDS


@dataclass(frozen=True)
class Dimension:
    """One thing the team rates about its own work, mirrored for the client."""

    key: str
    title: str
    team_statement: str
    client_statement: str
    universal: bool

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _DIMENSION_FIELDS}


@dataclass(frozen=True)
class Category:
    """A kind of difficult client, with the agency-side dimensions that could explain it."""

    key: str
    name: str
    description: str
    warning_signs: tuple[str, ...]
    handling: tuple[str, ...]
    dimension_keys: tuple[str, ...]
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "description": self.description,
            "warning_signs": list(self.warning_signs),
            "handling": list(self.handling),
            "dimension_keys": list(self.dimension_keys),
            "source": self.source,
        }


def _frozen(translations: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(translations))


@dataclass(frozen=True)
class Catalogue:
    """A versioned, validated set of dimensions and categories.

    The texts of `dimensions` and `categories` are in `language`; `translations` holds
    the document's texts in the other languages, and `localized` gives the catalogue as
    a reader of one of them sees it. Keys, links and order never depend on the language,
    so scoring and verdicts are the same in every language.
    """

    version: int
    dimensions: tuple[Dimension, ...]
    categories: tuple[Category, ...]
    translations: Mapping[str, Any] = field(default_factory=dict, compare=False)
    language: str = SOURCE_LANGUAGE

    def __post_init__(self) -> None:
        # Checked here as well as in from_dict so that no invalid catalogue can exist,
        # however it was built.
        problems = document_rules.consistency_problems(
            self.version, self.dimensions, self.categories
        ) + document_rules.translation_problems(self.translations, self.dimensions, self.categories)
        if problems:
            raise CatalogueInvalid(problems)
        object.__setattr__(self, "translations", _frozen(self.translations))
        # Lookups by key are constant time: scoring asks once per answer.
        object.__setattr__(self, "_dimensions_by_key", {d.key: d for d in self.dimensions})
        object.__setattr__(self, "_categories_by_key", {c.key: c for c in self.categories})
        # Kept, not rebuilt on each use: a check of a posted answer asks once per answer.
        object.__setattr__(self, "_dimension_keys", tuple(self._dimensions_by_key))
        object.__setattr__(self, "_category_keys", tuple(self._categories_by_key))
        object.__setattr__(self, "_localized", {})

    @property
    def dimension_keys(self) -> tuple[str, ...]:
        return self._dimension_keys

    @property
    def category_keys(self) -> tuple[str, ...]:
        return self._category_keys

    @property
    def universal_dimensions(self) -> tuple[Dimension, ...]:
        return tuple(dimension for dimension in self.dimensions if dimension.universal)

    def names(self) -> dict[str, dict[str, str]]:
        """Titles of dimensions and names of categories by key, as pages word verdicts."""
        return {
            "dimensions": {d.key: d.title for d in self.dimensions},
            "categories": {c.key: c.name for c in self.categories},
        }

    def has_dimension(self, key: str) -> bool:
        return key in self._dimensions_by_key

    def has_category(self, key: str) -> bool:
        return key in self._categories_by_key

    def dimension(self, key: str) -> Dimension:
        return self._lookup(self._dimensions_by_key, key, UnknownDimension)

    def category(self, key: str) -> Category:
        return self._lookup(self._categories_by_key, key, UnknownCategory)

    def _lookup(self, table: Mapping[str, Any], key: str, error: type) -> Any:
        found = table.get(key) if isinstance(key, str) else None
        if found is None:
            raise error(key=key, version=self.version)
        return found

    def linked_dimensions(self, category_key: str) -> tuple[Dimension, ...]:
        category = self.category(category_key)
        return tuple(self.dimension(key) for key in category.dimension_keys)

    @property
    def source(self) -> Catalogue:
        """This catalogue in the language its document is written in."""
        return getattr(self, "_source", self)

    def localized(self, language: str) -> Catalogue:
        """The catalogue as a reader of `language` sees it: translated texts where the
        document has them, the source text where it does not. Unknown languages get the
        source. The result is cached: a catalogue never changes."""
        source = self.source
        if language == source.language or language not in source.translations:
            return source
        cache = source._localized
        if language not in cache:
            texts = source.translations[language]
            localized = Catalogue(
                version=source.version,
                dimensions=tuple(
                    _translated(d, texts.get("dimensions", {}), DIMENSION_TEXT_FIELDS)
                    for d in source.dimensions
                ),
                categories=tuple(
                    _translated(c, texts.get("categories", {}), CATEGORY_TEXT_FIELDS)
                    for c in source.categories
                ),
                translations=source.translations,
                language=language,
            )
            object.__setattr__(localized, "_source", source)
            cache[language] = localized
        return cache[language]

    def missing_translations(self) -> list[tuple[str, str, str, str]]:
        """(language, kind, key, field) of every text some language lacks."""
        source = self.source
        return missing_texts(source.translations, source.dimensions, source.categories)

    def to_dict(self) -> dict[str, Any]:
        """The document this catalogue was read from, whatever language it is shown in."""
        source = self.source
        document = {
            "version": source.version,
            "dimensions": [dimension.to_dict() for dimension in source.dimensions],
            "categories": [category.to_dict() for category in source.categories],
        }
        # Only when present, so documents (and sealed records) from before translations
        # existed serialise exactly as they did.
        if source.translations:
            document["translations"] = _plain(source.translations)
        return document

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Catalogue:
        """Parse a catalogue document, listing every problem found in one CatalogueInvalid."""
        parts, problems = document_rules.read_document(data)
        if parts is None:
            raise CatalogueInvalid(problems)
        dimensions = tuple(Dimension(**raw) for raw in parts["dimensions"] if raw is not None)
        categories = tuple(Category(**raw) for raw in parts["categories"] if raw is not None)
        if problems:
            raise CatalogueInvalid(problems)
        return cls(
            version=parts["version"],
            dimensions=dimensions,
            categories=categories,
            translations=parts["translations"],
        )


def _translated(item, texts: Mapping[str, Any], fields: tuple[str, ...]):
    own = texts.get(item.key, {})
    changes = {
        name: tuple(own[name]) if name in LIST_TEXT_FIELDS else own[name]
        for name in fields
        if name in own
    }
    return replace(item, **changes)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value
