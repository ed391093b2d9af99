"""The catalogue: client categories, the self-assessment dimensions they link to, and the scales.

A catalogue is versioned data. A review keeps the version it was opened with, so
editing the catalogue later never changes what an old review asked or how it was
judged. `Catalogue.from_dict` is the only way in from stored JSON and refuses
anything inconsistent; `to_dict` gives back exactly what `from_dict` accepted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from app.domain.errors import CatalogueInvalid, UnknownCategory, UnknownDimension

SCALE: tuple[int, ...] = (1, 2, 3, 4, 5)
SCALE_LABELS: Mapping[int, str] = MappingProxyType(
    {
        1: "Strongly disagree",
        2: "Disagree",
        3: "Neither agree nor disagree",
        4: "Agree",
        5: "Strongly agree",
    }
)
# Inclusive bounds, in per cent. Below 50 % a rater is guessing on a two-way call,
# so the form starts at 50 (the usual floor in calibration research).
CONFIDENCE_RANGE: tuple[int, int] = (50, 100)
COMPLEXITY_SCALE: tuple[int, ...] = (1, 2, 3, 4, 5)
COMPLEXITY_LABELS: Mapping[int, str] = MappingProxyType(
    {
        1: "Very simple",
        2: "Simple",
        3: "Moderate",
        4: "Complex",
        5: "Very complex",
    }
)

KEY_PATTERN = re.compile(
    r"[a-z][a-z0-9_]{1,40}"
)  # used with fullmatch: "$" would let "key\n" through

_DIMENSION_FIELDS = ("key", "title", "team_statement", "client_statement", "universal")
_CATEGORY_FIELDS = (
    "key",
    "name",
    "description",
    "warning_signs",
    "handling",
    "dimension_keys",
    "source",
)


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


@dataclass(frozen=True)
class Catalogue:
    """A versioned, validated set of dimensions and categories."""

    version: int
    dimensions: tuple[Dimension, ...]
    categories: tuple[Category, ...]

    def __post_init__(self) -> None:
        # Checked here as well as in from_dict so that no invalid catalogue can exist,
        # however it was built.
        problems = _consistency_problems(self.version, self.dimensions, self.categories)
        if problems:
            raise CatalogueInvalid(problems)
        # Lookups by key are constant time: scoring asks once per answer.
        object.__setattr__(self, "_dimensions_by_key", {d.key: d for d in self.dimensions})
        object.__setattr__(self, "_categories_by_key", {c.key: c for c in self.categories})

    @property
    def dimension_keys(self) -> tuple[str, ...]:
        return tuple(dimension.key for dimension in self.dimensions)

    @property
    def category_keys(self) -> tuple[str, ...]:
        return tuple(category.key for category in self.categories)

    @property
    def universal_dimensions(self) -> tuple[Dimension, ...]:
        return tuple(dimension for dimension in self.dimensions if dimension.universal)

    def names(self) -> dict[str, dict[str, str]]:
        """Titles of dimensions and names of categories by key, as pages word verdicts."""
        return {
            "dimensions": {d.key: d.title for d in self.dimensions},
            "categories": {c.key: c.name for c in self.categories},
        }

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "dimensions": [dimension.to_dict() for dimension in self.dimensions],
            "categories": [category.to_dict() for category in self.categories],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Catalogue:
        """Parse a catalogue document, listing every problem found in one CatalogueInvalid."""
        if not isinstance(data, Mapping):
            raise CatalogueInvalid(["the document must be a JSON object"])
        problems: list[str] = []
        _check_fields(data, ("version", "dimensions", "categories"), "the document", problems)
        version = data.get("version")
        raw_dimensions = data.get("dimensions")
        raw_categories = data.get("categories")
        if not _is_int(version):
            problems.append("'version' must be a whole number")
        for name, raw in (("dimensions", raw_dimensions), ("categories", raw_categories)):
            if not isinstance(raw, list):
                problems.append(f"'{name}' must be a list")
        if problems:
            raise CatalogueInvalid(problems)

        dimensions = tuple(
            _parse_dimension(raw, position, problems)
            for position, raw in enumerate(raw_dimensions, start=1)
        )
        categories = tuple(
            _parse_category(raw, position, problems)
            for position, raw in enumerate(raw_categories, start=1)
        )
        if problems:
            raise CatalogueInvalid(problems)
        return cls(version=version, dimensions=dimensions, categories=categories)


def _is_int(value: object) -> bool:
    # bool is an int subclass, but True is not a version number.
    return isinstance(value, int) and not isinstance(value, bool)


def _check_fields(
    raw: Mapping[str, Any], expected: tuple[str, ...], where: str, problems: list[str]
) -> None:
    missing = [name for name in expected if name not in raw]
    unknown = sorted(str(name) for name in raw if name not in expected)
    if missing:
        problems.append(f"{where} lacks {', '.join(repr(name) for name in missing)}")
    if unknown:
        problems.append(f"{where} has unknown field(s) {', '.join(repr(name) for name in unknown)}")


def _text(raw: Mapping[str, Any], name: str, where: str, problems: list[str]) -> str:
    value = raw.get(name)
    if not isinstance(value, str):
        if name in raw:
            problems.append(f"{where}: '{name}' must be text")
        return ""
    return value


def _texts(raw: Mapping[str, Any], name: str, where: str, problems: list[str]) -> tuple[str, ...]:
    value = raw.get(name)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        if name in raw:
            problems.append(f"{where}: '{name}' must be a list of texts")
        return ()
    return tuple(value)


def _parse_dimension(raw: object, position: int, problems: list[str]) -> Dimension | None:
    where = f"dimension #{position}"
    if not isinstance(raw, Mapping):
        problems.append(f"{where} must be an object")
        return None
    _check_fields(raw, _DIMENSION_FIELDS, where, problems)
    universal = raw.get("universal")
    if "universal" in raw and not isinstance(universal, bool):
        problems.append(f"{where}: 'universal' must be true or false")
    return Dimension(
        key=_text(raw, "key", where, problems),
        title=_text(raw, "title", where, problems),
        team_statement=_text(raw, "team_statement", where, problems),
        client_statement=_text(raw, "client_statement", where, problems),
        universal=bool(universal),
    )


def _parse_category(raw: object, position: int, problems: list[str]) -> Category | None:
    where = f"category #{position}"
    if not isinstance(raw, Mapping):
        problems.append(f"{where} must be an object")
        return None
    _check_fields(raw, _CATEGORY_FIELDS, where, problems)
    return Category(
        key=_text(raw, "key", where, problems),
        name=_text(raw, "name", where, problems),
        description=_text(raw, "description", where, problems),
        warning_signs=_texts(raw, "warning_signs", where, problems),
        handling=_texts(raw, "handling", where, problems),
        dimension_keys=_texts(raw, "dimension_keys", where, problems),
        source=_text(raw, "source", where, problems),
    )


def _consistency_problems(
    version: object, dimensions: tuple[Dimension, ...], categories: tuple[Category, ...]
) -> list[str]:
    problems: list[str] = []
    if not _is_int(version) or version < 1:
        problems.append("'version' must be a whole number of at least 1")
    if not dimensions:
        problems.append("there must be at least one dimension")
    if not categories:
        problems.append("there must be at least one category")

    seen_dimensions: set[str] = set()
    for dimension in dimensions:
        where = f"dimension '{dimension.key}'"
        _check_key(dimension.key, "dimension", seen_dimensions, problems)
        for name in ("title", "team_statement", "client_statement"):
            if not getattr(dimension, name).strip():
                problems.append(f"{where} has an empty {name.replace('_', ' ')}")

    seen_categories: set[str] = set()
    for category in categories:
        where = f"category '{category.key}'"
        _check_key(category.key, "category", seen_categories, problems)
        for name in ("name", "description", "source"):
            if not getattr(category, name).strip():
                problems.append(f"{where} has an empty {name}")
        for name in ("warning_signs", "handling"):
            texts = getattr(category, name)
            if not texts or any(not text.strip() for text in texts):
                label = name.replace("_", " ")
                problems.append(f"{where} needs at least one entry in {label}, and no empty one")
        if not category.dimension_keys:
            problems.append(f"{where} links to no dimension, so it could never be checked")
        if len(set(category.dimension_keys)) != len(category.dimension_keys):
            problems.append(f"{where} links to the same dimension twice")
        for key in category.dimension_keys:
            if key not in seen_dimensions:
                problems.append(f"{where} links to unknown dimension '{key}'")
    return problems


def _check_key(key: str, kind: str, seen: set[str], problems: list[str]) -> None:
    if not KEY_PATTERN.fullmatch(key):
        problems.append(
            f"{kind} key '{key}' must be 2 to 41 characters: a lower-case letter, "
            "then lower-case letters, digits or underscores"
        )
    if key in seen:
        problems.append(f"{kind} key '{key}' is used twice")
    seen.add(key)
