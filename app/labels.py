"""Words for the domain's scales, in the reader's language.

The domain defines the scales as numbers (catalogue.SCALE, COMPLEXITY_SCALE); the words
for each point live here, as lazy gettext strings, so they are extracted into the
catalogues and read in the language of the page that shows them.
"""

from flask_babel import lazy_gettext as _l

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
