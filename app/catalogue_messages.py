"""Catalogue problems worded for the admin who edits the document.

The domain reports each problem as a code with where it was found
(catalogue_document.Problem); this says it in the reader's language, naming the
question or category so the admin can find it.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.domain.catalogue_document import Problem
from app.i18n import LANGUAGE_NAMES


def _fields(problem: Problem) -> str:
    return ", ".join(f"“{name}”" for name in problem.params.get("fields", ()))


_WHAT = {
    "not_object": lambda p: (
        _("“%(field)s” must be an object", field=p.params["field"])
        if "field" in p.params
        else _("must be an object")
    ),
    "missing_fields": lambda p: _("lacks %(fields)s", fields=_fields(p)),
    "unknown_fields": lambda p: _("has unknown fields: %(fields)s", fields=_fields(p)),
    "not_whole_number": lambda p: _("“%(field)s” must be a whole number", **p.params),
    "not_list": lambda p: _("“%(field)s” must be a list", **p.params),
    "not_text": lambda p: _("“%(field)s” must be text", **p.params),
    "not_text_list": lambda p: _("“%(field)s” must be a list of texts", **p.params),
    "not_bool": lambda p: _("“%(field)s” must be true or false", **p.params),
    "version_too_small": lambda p: _("the version must be a whole number of at least 1"),
    "no_dimensions": lambda p: _("there must be at least one question"),
    "no_categories": lambda p: _("there must be at least one category"),
    "empty_text": lambda p: _("“%(field)s” is empty", **p.params),
    "empty_list": lambda p: _("“%(field)s” needs at least one entry, and no empty one", **p.params),
    "no_links": lambda p: _("links to no question, so it could never be checked"),
    "duplicate_link": lambda p: _("links to the same question twice"),
    "unknown_link": lambda p: _(
        "links to “%(key)s”, which no question has", key=p.params["dimension"]
    ),
    "bad_key": lambda p: _(
        "the key “%(key)s” must be 2 to 41 characters: a lower-case letter, then lower-case "
        "letters, digits or underscores",
        key=p.params["value"],
    ),
    "duplicate_key": lambda p: _("the key “%(key)s” is used twice", key=p.params["value"]),
    "unknown_language": lambda p: _("Candor offers no such language"),
    "unknown_key": lambda p: _("no question or category has this key"),
    "list_length": lambda p: _(
        "“%(field)s” needs %(n)d entries, none empty, as many as the English text",
        field=p.params["field"],
        n=p.params["expected"],
    ),
}


def _where(problem: Problem) -> str:
    key = problem.key or ""
    if problem.kind == "dimension":
        return _("Question %(n)d %(key)s", n=problem.position, key=f"({key})" if key else "")
    if problem.kind == "category":
        return _("Category %(n)d %(key)s", n=problem.position, key=f"({key})" if key else "")
    if problem.kind == "translation":
        language = LANGUAGE_NAMES.get(problem.language or "", problem.language or "")
        if key:
            return _("Translation into %(language)s of “%(key)s”", language=language, key=key)
        return _("Translations into %(language)s", language=language)
    return _("The document")


def problem_text(problem: Problem) -> str:
    what = _WHAT.get(problem.code)
    detail = what(problem) if what else problem.code
    return f"{_where(problem).strip()}: {detail}."
