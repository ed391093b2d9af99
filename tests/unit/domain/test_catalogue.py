import copy
import json

import pytest

from app.domain.catalogue import (
    COMPLEXITY_LABELS,
    CONFIDENCE_RANGE,
    SCALE,
    SCALE_LABELS,
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
    assert SCALE_LABELS[1] == "Strongly disagree" and SCALE_LABELS[5] == "Strongly agree"
    assert tuple(SCALE_LABELS) == SCALE
    assert CONFIDENCE_RANGE == (50, 100)
    assert COMPLEXITY_LABELS[1] == "Very simple" and COMPLEXITY_LABELS[5] == "Very complex"


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


INVALID = [
    (
        "duplicate dimension key",
        _duplicate_first_dimension,
        "dimension key 'delivery_quality' is used twice",
    ),
    ("duplicate category key", _duplicate_first_category, "category key 'muddy' is used twice"),
    (
        "unknown linked dimension",
        _set(["categories", 0, "dimension_keys"], ["ghost"]),
        "links to unknown dimension 'ghost'",
    ),
    ("no linked dimension", _set(["categories", 0, "dimension_keys"], []), "links to no dimension"),
    (
        "same link twice",
        _set(["categories", 0, "dimension_keys"], ["goals_agreed", "goals_agreed"]),
        "same dimension twice",
    ),
    ("empty title", _set(["dimensions", 0, "title"], "  "), "has an empty title"),
    (
        "empty client statement",
        _set(["dimensions", 0, "client_statement"], ""),
        "empty client statement",
    ),
    ("empty description", _set(["categories", 0, "description"], ""), "has an empty description"),
    (
        "no warning signs",
        _set(["categories", 0, "warning_signs"], []),
        "at least one entry in warning signs",
    ),
    (
        "blank handling",
        _set(["categories", 0, "handling"], ["ok", " "]),
        "at least one entry in handling",
    ),
    ("upper-case key", _set(["dimensions", 1, "key"], "Timeliness"), "key 'Timeliness' must be"),
    ("one-letter key", _set(["dimensions", 1, "key"], "t"), "key 't' must be"),
    ("key with newline", _set(["dimensions", 1, "key"], "timeliness\n"), "must be 2 to 41"),
    ("key too long", _set(["dimensions", 1, "key"], "t" * 42), "must be 2 to 41"),
    ("unknown field", _set(["dimensions", 0, "colour"], "red"), "unknown field(s) 'colour'"),
    ("missing field", _drop_field, "lacks 'source'"),
    ("version as text", _set(["version"], "1"), "'version' must be a whole number"),
    ("version zero", _set(["version"], 0), "at least 1"),
    ("version true", _set(["version"], True), "'version' must be a whole number"),
    (
        "universal as text",
        _set(["dimensions", 0, "universal"], "yes"),
        "'universal' must be true or false",
    ),
    ("title not text", _set(["dimensions", 0, "title"], 5), "'title' must be text"),
    (
        "signs not a list",
        _set(["categories", 0, "warning_signs"], "sign"),
        "must be a list of texts",
    ),
    ("dimensions not a list", _set(["dimensions"], {}), "'dimensions' must be a list"),
    ("no categories", _set(["categories"], []), "at least one category"),
    ("dimension not an object", _set(["dimensions", 0], "x"), "dimension #1 must be an object"),
]


@pytest.mark.parametrize(
    ("change", "message"), [case[1:] for case in INVALID], ids=[case[0] for case in INVALID]
)
def test_invalid_catalogue_is_refused_with_a_clear_message(change, message):
    with pytest.raises(CatalogueInvalid) as raised:
        Catalogue.from_dict(_broken(change))
    assert message in str(raised.value)
    assert isinstance(raised.value, DomainError)
    assert str(raised.value).startswith("The catalogue is invalid: ")


def test_document_that_is_not_an_object_is_refused():
    with pytest.raises(CatalogueInvalid, match="must be a JSON object"):
        Catalogue.from_dict(["not", "a", "mapping"])


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
    with pytest.raises(CatalogueInvalid, match="unknown dimension 'ghost'"):
        Catalogue(version=1, dimensions=(dimension,), categories=(category,))
