"""Every message in the code has a Danish and a Hungarian translation that keeps its
placeholders, and every text of the built-in catalogue exists in every language.

The messages are extracted from the code as `make translations` does (babel.cfg), so a
new string without a translation fails here, not in front of a Danish client.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app.domain.catalogue_default import default_catalogue

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = ("da", "hu")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _method_map() -> list[tuple[str, str]]:
    # babel.cfg's sections, in order: "[python: app/**.py]" -> ("app/**.py", "python")
    sections = re.findall(r"^\[(\w+):\s*(.+?)\]\s*$", (ROOT / "babel.cfg").read_text(), re.M)
    return [(pattern, method) for method, pattern in sections]


def _wanted_directory(path: str) -> bool:
    # Babel skips directories starting with "_" by default, which would hide
    # app/templates/_macros; only hidden directories and caches are skipped here.
    name = Path(path).name
    return not name.startswith(".") and name != "__pycache__"


@pytest.fixture(scope="module")
def code_messages() -> dict[object, str]:
    """msgid (a string, or a (singular, plural) pair) -> where it was found."""
    found: dict[object, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT),
        _method_map(),
        keywords={**KEYWORDS, "ngettext": (1, 2)},
        directory_filter=_wanted_directory,
    ):
        found.setdefault(message, f"{filename}:{lineno}")
    assert len(found) > 400, "extraction found too little; is babel.cfg right?"
    assert any("_macros" in where for where in found.values()), "templates/_macros skipped"
    return found


def _catalogue(language: str):
    path = ROOT / "app" / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def _placeholders(*texts: str) -> set[str]:
    return set().union(*(set(PLACEHOLDER.findall(text)) for text in texts))


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_in_the_code_is_translated(code_messages, language):
    catalogue = _catalogue(language)
    missing = []
    for message, where in code_messages.items():
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(msgid)
        strings = () if entry is None else entry.string
        strings = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not all(strings) or not strings:
            missing.append(f"{where}: {msgid!r}")
    assert not missing, f"{len(missing)} messages lack a {language} translation:\n" + "\n".join(
        missing[:40]
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language):
    problems = []
    for entry in _catalogue(language):
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        expected = _placeholders(*ids)
        for string in strings:
            if string and _placeholders(string) != expected:
                problems.append(
                    f"{ids[0]!r}: {sorted(_placeholders(string))} != {sorted(expected)}"
                )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_format_with_their_placeholders(language):
    """A translation that renames or mistypes a placeholder fails when it is formatted."""
    for entry in _catalogue(language):
        if not entry.id or not entry.python_format:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        names = _placeholders(*ids)
        values = {name: 3 for name in names}
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for string in strings:
            if string:
                string % values  # raises on a renamed, extra or mistyped placeholder


def test_a_renamed_placeholder_is_caught():
    # The check itself can fail: the same comparison on a deliberately broken pair.
    assert _placeholders("Hello %(name)s") != _placeholders("Hej %(navn)s")
    renamed, values = "Hej %(navn)s", {"name": 1}
    with pytest.raises(KeyError):
        renamed % values


def test_the_built_in_catalogue_has_every_text_in_every_language():
    catalogue = default_catalogue()
    assert catalogue.missing_translations() == []
    for language in TRANSLATED:
        localized = catalogue.localized(language)
        for dimension in catalogue.dimensions:
            own = localized.dimension(dimension.key)
            # translated, not copied: at least the statements differ from the English
            assert own.team_statement != dimension.team_statement, (language, dimension.key)
            assert own.client_statement != dimension.client_statement, (language, dimension.key)
        for category in catalogue.categories:
            own = localized.category(category.key)
            assert len(own.handling) == len(category.handling)
            assert own.description != category.description, (language, category.key)
