"""Words for the domain's scales and members' labels, in the reader's language.

The domain defines the scales as numbers (catalogue.SCALE, COMPLEXITY_SCALE); the words
for each point live here, as lazy gettext strings, so they are extracted into the
catalogues and read in the language of the page that shows them. Members' anonymous
labels are stored and sealed in English ("Member A", app/domain/member_labels.py);
`member_label` words them for the reader.
"""

from collections.abc import Callable

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.domain.member_labels import label_mark

SCALE_WORDS = {
    1: _l("Strongly disagree"),
    2: _l("Disagree"),
    3: _l("Neither agree nor disagree"),
    4: _l("Agree"),
    5: _l("Strongly agree"),
}
COMPLEXITY_WORDS = {
    1: _l("Very simple"),
    2: _l("Simple"),
    3: _l("Moderate"),
    4: _l("Complex"),
    5: _l("Very complex"),
}


class NumberedWord:
    """ "3 – Moderate", worded when it is shown (a form's choices are built once, at
    import, but must be read in each request's language)."""

    def __init__(self, number: int, words: dict) -> None:
        self.number = number
        self.words = words

    def __str__(self) -> str:
        return f"{self.number} – {self.words[self.number]}"

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))


def N_(text: str) -> str:  # noqa: N802 - gettext's own name for "extract, translate later"
    return text


# Two sentences, not one: Hungarian says a number as an ordinal ("27. tag") but a letter
# as a name ("B-tag"); English and Danish word both the same way.
MEMBER_NUMBER = N_("Member %(number)s")
MEMBER_LETTER = N_("Member %(letter)s")


def member_label(stored: str, translate: Callable[[str], str] = gettext) -> str:
    """A member's stored label in the reader's language ("Member B" reads "Medlem B" in
    Danish); any other text (a record's "team", older data) comes back as it is. Plain
    text, never markup: the template escapes it like any other value. `translate` looks
    the sentence up (the request's catalogue; the comparison page binds its own)."""
    mark = label_mark(stored)
    if mark is None:
        return stored
    if mark.isdigit():
        return translate(MEMBER_NUMBER) % {"number": mark}
    return translate(MEMBER_LETTER) % {"letter": mark}
