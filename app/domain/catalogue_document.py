"""Reading a catalogue document: every problem found, as codes with where it was found.

`parse_document` is the only way from stored or edited JSON to a `Catalogue`. It lists
every problem at once (an admin fixing a document should not meet them one at a
time), each as a `Problem`: a code, where it is (the document, the n-th dimension or
category and its key, or a language's translations) and the parameters a sentence
needs. The web layer words them; nothing here is a sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.domain.catalogue_texts import (
    CATALOGUE_LANGUAGES,
    CATEGORY_TEXT_FIELDS,
    DIMENSION_TEXT_FIELDS,
    LIST_TEXT_FIELDS,
    SOURCE_LANGUAGE,
)

DIMENSION_FIELDS = ("key", "title", "team_statement", "client_statement", "universal")
CATEGORY_FIELDS = (
    "key",
    "name",
    "description",
    "warning_signs",
    "handling",
    "dimension_keys",
    "source",
)
DOCUMENT_FIELDS = ("version", "dimensions", "categories")
OPTIONAL_DOCUMENT_FIELDS = ("translations",)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalogue document.

    `kind` is "document", "dimension", "category" or "translation"; `position` counts
    from 1 in the document's list; `key` is the item's key when it has one; `language`
    is set for translation problems; `params` holds field names and values.
    """

    code: str
    kind: str = "document"
    position: int | None = None
    key: str | None = None
    language: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:  # for logs and the command line only
        where = ":".join(
            str(part) for part in (self.kind, self.language, self.position, self.key) if part
        )
        details = ", ".join(f"{k}={v!r}" for k, v in sorted(self.params.items()))
        return f"{where}: {self.code}" + (f" ({details})" if details else "")


class _Collector:
    """Gathers problems about one place in the document."""

    def __init__(self, problems: list[Problem], **where: Any) -> None:
        self.problems = problems
        self.where = where

    def add(self, code: str, **params: Any) -> None:
        self.problems.append(Problem(code, **self.where, params=params))

    def fields(self, raw: Mapping[str, Any], expected: tuple[str, ...], optional=()) -> None:
        missing = [name for name in expected if name not in raw]
        unknown = sorted(str(name) for name in raw if name not in expected + tuple(optional))
        if missing:
            self.add("missing_fields", fields=missing)
        if unknown:
            self.add("unknown_fields", fields=unknown)

    def text(self, raw: Mapping[str, Any], name: str) -> str:
        value = raw.get(name)
        if not isinstance(value, str):
            if name in raw:
                self.add("not_text", field=name)
            return ""
        return value

    def texts(self, raw: Mapping[str, Any], name: str) -> tuple[str, ...]:
        value = raw.get(name)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            if name in raw:
                self.add("not_text_list", field=name)
            return ()
        return tuple(value)


def is_whole_number(value: object) -> bool:
    # bool is an int subclass, but True is not a version number.
    return isinstance(value, int) and not isinstance(value, bool)


def read_document(data: object) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The document's parts as plain values, or None with the problems that stop parsing."""
    problems: list[Problem] = []
    document = _Collector(problems)
    if not isinstance(data, Mapping):
        document.add("not_object")
        return None, problems
    document.fields(data, DOCUMENT_FIELDS, OPTIONAL_DOCUMENT_FIELDS)
    if not is_whole_number(data.get("version")):
        document.add("not_whole_number", field="version")
    for name in ("dimensions", "categories"):
        if not isinstance(data.get(name), list):
            document.add("not_list", field=name)
    translations = data.get("translations", {})
    if not isinstance(translations, Mapping):
        document.add("not_object", field="translations")
    if problems:
        return None, problems
    return {
        "version": data["version"],
        "dimensions": [
            _dimension_fields(raw, position, problems)
            for position, raw in enumerate(data["dimensions"], start=1)
        ],
        "categories": [
            _category_fields(raw, position, problems)
            for position, raw in enumerate(data["categories"], start=1)
        ],
        "translations": translations,
    }, problems


def _dimension_fields(raw: object, position: int, problems: list[Problem]) -> dict | None:
    item = _Collector(problems, kind="dimension", position=position)
    if not isinstance(raw, Mapping):
        item.add("not_object")
        return None
    item.where["key"] = raw.get("key") if isinstance(raw.get("key"), str) else None
    item.fields(raw, DIMENSION_FIELDS)
    universal = raw.get("universal")
    if "universal" in raw and not isinstance(universal, bool):
        item.add("not_bool", field="universal")
    return {
        "key": item.text(raw, "key"),
        **{name: item.text(raw, name) for name in DIMENSION_TEXT_FIELDS},
        "universal": bool(universal),
    }


def _category_fields(raw: object, position: int, problems: list[Problem]) -> dict | None:
    item = _Collector(problems, kind="category", position=position)
    if not isinstance(raw, Mapping):
        item.add("not_object")
        return None
    item.where["key"] = raw.get("key") if isinstance(raw.get("key"), str) else None
    item.fields(raw, CATEGORY_FIELDS)
    values: dict[str, Any] = {"key": item.text(raw, "key"), "source": item.text(raw, "source")}
    for name in CATEGORY_TEXT_FIELDS:
        values[name] = item.texts(raw, name) if name in LIST_TEXT_FIELDS else item.text(raw, name)
    values["dimension_keys"] = item.texts(raw, "dimension_keys")
    return values


def consistency_problems(version: object, dimensions, categories) -> list[Problem]:
    """What makes a catalogue unusable, whatever way it was built."""
    problems: list[Problem] = []
    document = _Collector(problems)
    if not is_whole_number(version) or version < 1:
        document.add("version_too_small")
    if not dimensions:
        document.add("no_dimensions")
    if not categories:
        document.add("no_categories")

    seen_dimensions: set[str] = set()
    for position, dimension in enumerate(dimensions, start=1):
        item = _Collector(problems, kind="dimension", position=position, key=dimension.key)
        _check_key(dimension.key, seen_dimensions, item)
        for name in DIMENSION_TEXT_FIELDS:
            if not getattr(dimension, name).strip():
                item.add("empty_text", field=name)

    seen_categories: set[str] = set()
    for position, category in enumerate(categories, start=1):
        item = _Collector(problems, kind="category", position=position, key=category.key)
        _check_key(category.key, seen_categories, item)
        for name in ("name", "description", "source"):
            if not getattr(category, name).strip():
                item.add("empty_text", field=name)
        for name in LIST_TEXT_FIELDS:
            texts = getattr(category, name)
            if not texts or any(not text.strip() for text in texts):
                item.add("empty_list", field=name)
        if not category.dimension_keys:
            item.add("no_links")
        if len(set(category.dimension_keys)) != len(category.dimension_keys):
            item.add("duplicate_link")
        for key in category.dimension_keys:
            if key not in seen_dimensions:
                item.add("unknown_link", dimension=key)
    return problems


def _check_key(key: str, seen: set[str], item: _Collector) -> None:
    from app.domain.catalogue import KEY_PATTERN  # one owner of the key's shape

    if not KEY_PATTERN.fullmatch(key):
        item.add("bad_key", value=key)
    if key in seen:
        item.add("duplicate_key", value=key)
    seen.add(key)


def translation_problems(translations: Mapping[str, Any], dimensions, categories) -> list[Problem]:
    """Translations may be partial (missing texts fall back to the source language), but
    what is there must fit: a known language, known keys and fields, non-empty texts,
    and lists as long as the source's (the n-th sign translates the n-th sign)."""
    problems: list[Problem] = []
    by_kind = {
        "dimensions": ({d.key: d for d in dimensions}, DIMENSION_TEXT_FIELDS),
        "categories": ({c.key: c for c in categories}, CATEGORY_TEXT_FIELDS),
    }
    for language, texts in translations.items():
        where = _Collector(problems, kind="translation", language=str(language))
        if language not in CATALOGUE_LANGUAGES or language == SOURCE_LANGUAGE:
            where.add("unknown_language")
            continue
        if not isinstance(texts, Mapping):
            where.add("not_object")
            continue
        where.fields(texts, (), tuple(by_kind))
        for kind, (items, text_fields) in by_kind.items():
            entries = texts.get(kind, {})
            if not isinstance(entries, Mapping):
                where.add("not_object", field=kind)
                continue
            for key, values in entries.items():
                _check_translated_item(
                    _Collector(problems, kind="translation", language=language, key=str(key)),
                    items.get(key),
                    values,
                    text_fields,
                )
    return problems


def _check_translated_item(item: _Collector, source, values: object, text_fields) -> None:
    if source is None:
        item.add("unknown_key")
        return
    if not isinstance(values, Mapping):
        item.add("not_object")
        return
    item.fields(values, (), text_fields)
    for name, value in values.items():
        if name not in text_fields:
            continue
        if name in LIST_TEXT_FIELDS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                item.add("not_text_list", field=name)
            elif len(value) != len(getattr(source, name)) or any(not v.strip() for v in value):
                item.add("list_length", field=name, expected=len(getattr(source, name)))
        elif not isinstance(value, str) or not value.strip():
            item.add("empty_text", field=name)
