import copy
import json

import pytest

from app.domain.catalogue import (
    COMPLEXITY_SCALE,
    CONFIDENCE_RANGE,
    SCALE,
    Catalogue,
    Category,
    Dimension,
)
from app.domain.catalogue_default import (
    DEFAULT_CATALOGUE_PATH,
    default_catalogue,
    default_catalogue_document,
)
from app.domain.errors import CatalogueInvalid, DomainError, UnknownCategory, UnknownDimension
from app.labels import COMPLEXITY_WORDS, SCALE_WORDS

TEN_CATEGORIES = (
    "muddy",
    "rival_stakeholders",
    "expensive_for_pennies",
    "conservative",
    "wont_pay_for_air",
    "eternal_debtor",
    "cognitive_dissonance",
    "non_responsive",
    "controlling",
    "pay_eventually",
)


def test_default_catalogue_holds_the_ten_seed_categories_in_order():
    catalogue = default_catalogue()
    assert catalogue.version == 1
    assert catalogue.category_keys == TEN_CATEGORIES


def test_default_catalogue_names_its_sources():
    catalogue = default_catalogue()
    sources = {category.key: category.source for category in catalogue.categories}
    hungarian = {"non_responsive", "controlling", "pay_eventually"}
    for key, source in sources.items():
        expected = (
            "Hungarian social-media agency guide" if key in hungarian else "Danish agency list"
        )
        assert source == expected, key


def test_default_catalogue_has_the_four_universal_dimensions():
    universal = {dimension.key for dimension in default_catalogue().universal_dimensions}
    assert universal == {"delivery_quality", "timeliness", "honesty", "did_everything"}


def test_every_category_links_one_to_three_dimensions_including_a_specific_one():
    catalogue = default_catalogue()
    for category in catalogue.categories:
        linked = catalogue.linked_dimensions(category.key)
        assert 1 <= len(linked) <= 3, category.key
        assert any(not dimension.universal for dimension in linked), category.key
        assert category.warning_signs and category.handling


def test_both_payment_categories_share_the_invoicing_dimension():
    catalogue = default_catalogue()
    assert "invoicing_followup" in catalogue.category("eternal_debtor").dimension_keys
    assert "invoicing_followup" in catalogue.category("pay_eventually").dimension_keys


def test_every_dimension_is_mirrored_for_the_client():
    for dimension in default_catalogue().dimensions:
        assert dimension.team_statement.startswith("We "), dimension.key
        assert dimension.client_statement.startswith("The agency "), dimension.key


def test_round_trip_is_exact():
    document = default_catalogue_document()
    catalogue = Catalogue.from_dict(document)
    assert catalogue.to_dict() == document
    assert Catalogue.from_dict(catalogue.to_dict()) == catalogue
    # and survives JSON text, as it will in the database
    assert Catalogue.from_dict(json.loads(json.dumps(catalogue.to_dict()))) == catalogue


def test_default_document_is_the_json_file():
    assert default_catalogue_document() == json.loads(
        DEFAULT_CATALOGUE_PATH.read_text(encoding="utf-8")
    )


def test_lookups_raise_named_errors():
    catalogue = default_catalogue()
    assert catalogue.dimension("timeliness").title == "Timeliness"
    assert catalogue.category("muddy").name == "Muddy"
    with pytest.raises(UnknownDimension) as dimension:
        catalogue.dimension("nope")
    assert dimension.value.params == {"key": "nope", "version": catalogue.version}
    with pytest.raises(UnknownCategory) as category:
        catalogue.category("nope")
    assert category.value.params == {"key": "nope", "version": catalogue.version}
    with pytest.raises(UnknownCategory):
        catalogue.linked_dimensions("nope")


def test_scales():
    assert SCALE == (1, 2, 3, 4, 5)
    assert CONFIDENCE_RANGE == (50, 100)
    assert COMPLEXITY_SCALE == (1, 2, 3, 4, 5)
    # every point of both scales has its words in the web layer
    assert tuple(SCALE_WORDS) == SCALE and tuple(COMPLEXITY_WORDS) == COMPLEXITY_SCALE


def _document():
    return copy.deepcopy(default_catalogue_document())


def _broken(change):
    document = _document()
    change(document)
    return document


def _set(path, value):
    def change(document):
        target = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


def _duplicate_first_dimension(document):
    document["dimensions"].append(copy.deepcopy(document["dimensions"][0]))


def _duplicate_first_category(document):
    document["categories"].append(copy.deepcopy(document["categories"][0]))


def _drop_field(document):
    del document["categories"][0]["source"]


# (id, change, expected problem: code, kind, position, params that must be among its params)
INVALID = [
    (
        "duplicate dimension key",
        _duplicate_first_dimension,
        ("duplicate_key", "dimension", 14, {"value": "delivery_quality"}),
    ),
    (
        "duplicate category key",
        _duplicate_first_category,
        ("duplicate_key", "category", 11, {"value": "muddy"}),
    ),
    (
        "unknown linked dimension",
        _set(["categories", 0, "dimension_keys"], ["ghost"]),
        ("unknown_link", "category", 1, {"dimension": "ghost"}),
    ),
    (
        "no linked dimension",
        _set(["categories", 0, "dimension_keys"], []),
        ("no_links", "category", 1, {}),
    ),
    (
        "same link twice",
        _set(["categories", 0, "dimension_keys"], ["goals_agreed", "goals_agreed"]),
        ("duplicate_link", "category", 1, {}),
    ),
    (
        "empty title",
        _set(["dimensions", 0, "title"], "  "),
        ("empty_text", "dimension", 1, {"field": "title"}),
    ),
    (
        "empty client statement",
        _set(["dimensions", 0, "client_statement"], ""),
        ("empty_text", "dimension", 1, {"field": "client_statement"}),
    ),
    (
        "empty description",
        _set(["categories", 0, "description"], ""),
        ("empty_text", "category", 1, {"field": "description"}),
    ),
    (
        "no warning signs",
        _set(["categories", 0, "warning_signs"], []),
        ("empty_list", "category", 1, {"field": "warning_signs"}),
    ),
    (
        "blank handling",
        _set(["categories", 0, "handling"], ["ok", " "]),
        ("empty_list", "category", 1, {"field": "handling"}),
    ),
    (
        "upper-case key",
        _set(["dimensions", 1, "key"], "Timeliness"),
        ("bad_key", "dimension", 2, {"value": "Timeliness"}),
    ),
    ("one-letter key", _set(["dimensions", 1, "key"], "t"), ("bad_key", "dimension", 2, {})),
    (
        "key with newline",
        _set(["dimensions", 1, "key"], "timeliness\n"),
        ("bad_key", "dimension", 2, {}),
    ),
    ("key too long", _set(["dimensions", 1, "key"], "t" * 42), ("bad_key", "dimension", 2, {})),
    (
        "unknown field",
        _set(["dimensions", 0, "colour"], "red"),
        ("unknown_fields", "dimension", 1, {"fields": ["colour"]}),
    ),
    ("missing field", _drop_field, ("missing_fields", "category", 1, {"fields": ["source"]})),
    (
        "version as text",
        _set(["version"], "1"),
        ("not_whole_number", "document", None, {"field": "version"}),
    ),
    ("version zero", _set(["version"], 0), ("version_too_small", "document", None, {})),
    (
        "version true",
        _set(["version"], True),
        ("not_whole_number", "document", None, {"field": "version"}),
    ),
    (
        "universal as text",
        _set(["dimensions", 0, "universal"], "yes"),
        ("not_bool", "dimension", 1, {"field": "universal"}),
    ),
    (
        "title not text",
        _set(["dimensions", 0, "title"], 5),
        ("not_text", "dimension", 1, {"field": "title"}),
    ),
    (
        "signs not a list",
        _set(["categories", 0, "warning_signs"], "sign"),
        ("not_text_list", "category", 1, {"field": "warning_signs"}),
    ),
    (
        "dimensions not a list",
        _set(["dimensions"], {}),
        ("not_list", "document", None, {"field": "dimensions"}),
    ),
    ("no categories", _set(["categories"], []), ("no_categories", "document", None, {})),
    ("dimension not an object", _set(["dimensions", 0], "x"), ("not_object", "dimension", 1, {})),
    (
        "unknown translation language",
        _set(["translations"], {"fr": {}}),
        ("unknown_language", "translation", None, {}),
    ),
    (
        "translation of an unknown key",
        _set(["translations"], {"da": {"dimensions": {"ghost": {"title": "Spøgelse"}}}}),
        ("unknown_key", "translation", None, {}),
    ),
    (
        "translated list of another length",
        _set(["translations"], {"da": {"categories": {"muddy": {"handling": ["én"]}}}}),
        ("list_length", "translation", None, {"field": "handling"}),
    ),
    (
        "empty translated text",
        _set(["translations"], {"hu": {"dimensions": {"timeliness": {"title": " "}}}}),
        ("empty_text", "translation", None, {"field": "title"}),
    ),
    (
        "translations not an object",
        _set(["translations"], []),
        ("not_object", "document", None, {"field": "translations"}),
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"), [case[1:] for case in INVALID], ids=[case[0] for case in INVALID]
)
def test_invalid_catalogue_is_refused_naming_the_problem_and_where(change, expected):
    code, kind, position, params = expected
    with pytest.raises(CatalogueInvalid) as raised:
        Catalogue.from_dict(_broken(change))
    assert isinstance(raised.value, DomainError)
    found = [
        p
        for p in raised.value.problems
        if p.code == code and p.kind == kind and (position is None or p.position == position)
    ]
    assert found, raised.value.problems
    assert all(found[0].params.get(name) == value for name, value in params.items())


def test_document_that_is_not_an_object_is_refused():
    with pytest.raises(CatalogueInvalid) as raised:
        Catalogue.from_dict(["not", "a", "mapping"])
    assert [p.code for p in raised.value.problems] == ["not_object"]


def test_every_problem_is_listed_at_once():
    document = _document()
    document["dimensions"][0]["title"] = ""
    document["categories"][0]["dimension_keys"] = ["ghost"]
    with pytest.raises(CatalogueInvalid) as raised:
        Catalogue.from_dict(document)
    assert len(raised.value.problems) == 2


def test_an_invalid_catalogue_cannot_be_built_directly_either():
    dimension = Dimension("quality", "Quality", "We did well", "The agency did well", True)
    category = Category("picky", "Picky", "Hard to please", ("sign",), ("advice",), ("ghost",), "x")
    with pytest.raises(CatalogueInvalid) as raised:
        Catalogue(version=1, dimensions=(dimension,), categories=(category,))
    assert [p.code for p in raised.value.problems] == ["unknown_link"]


def _translated_document():
    document = _document()
    document["translations"] = {
        "da": {
            "dimensions": {"timeliness": {"title": "Rettidighed"}},
            "categories": {
                "muddy": {
                    "name": "Den uklare",
                    "handling": ["Råd"] * len(document["categories"][0]["handling"]),
                }
            },
        }
    }
    return document


def test_a_localized_catalogue_shows_translations_and_falls_back_to_the_source():
    catalogue = Catalogue.from_dict(_translated_document())
    danish = catalogue.localized("da")
    assert danish.language == "da"
    assert danish.dimension("timeliness").title == "Rettidighed"
    # not translated: the English text, as survey tools fall back to the source
    assert danish.dimension("timeliness").team_statement == (
        catalogue.dimension("timeliness").team_statement
    )
    assert danish.category("muddy").name == "Den uklare"
    assert set(danish.category("muddy").handling) == {"Råd"}
    # keys, links and order never depend on the language
    assert danish.dimension_keys == catalogue.dimension_keys
    assert danish.linked_dimensions("muddy") == tuple(
        danish.dimension(d.key) for d in catalogue.linked_dimensions("muddy")
    )


def test_localizing_never_changes_the_document():
    document = _translated_document()
    catalogue = Catalogue.from_dict(document)
    assert catalogue.localized("da").to_dict() == catalogue.to_dict() == document
    assert catalogue.localized("da").localized("en") is catalogue
    assert catalogue.localized("da") is catalogue.localized("da")


@pytest.mark.parametrize("language", ["fr", "", "da-DK", None, "../en"])
def test_an_unknown_language_gets_the_source_texts(language):
    catalogue = Catalogue.from_dict(_translated_document())
    assert catalogue.localized(language) is catalogue


def test_a_document_without_translations_serialises_exactly_as_before():
    document = _document()
    assert "translations" not in document or document["translations"]
    document.pop("translations", None)
    assert Catalogue.from_dict(document).to_dict() == document


def test_missing_translations_are_listed_per_language_and_field():
    catalogue = Catalogue.from_dict(_translated_document())
    missing = catalogue.missing_translations()
    assert ("da", "dimensions", "timeliness", "title") not in missing
    assert ("da", "dimensions", "timeliness", "team_statement") in missing
    assert ("hu", "categories", "muddy", "name") in missing
