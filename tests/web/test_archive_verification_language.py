"""A record that does not verify says why in the reader's language: the check gives a
problem code and the record's number, and the archive's page words it (app/archive/
verification.py); `verify-archive` and the JSON export keep the operator's English."""

import json

import pytest

from app.archive.verification import WORDINGS
from app.services.archive_problems import OPERATOR_TEXT, Problem
from tests.archive_factory import tamper

SEAL_BROKEN = {
    "en": "Decision 1 was changed after it was recorded: its seal no longer matches",
    "da": "Beslutning 1 blev ændret, efter at den blev registreret: dens forsegling passer",
    "hu": "A(z) 1. döntést a rögzítése után megváltoztatták: a pecsétje már nem egyezik",
}


def test_every_problem_is_worded_for_the_page_and_for_the_operator():
    assert set(WORDINGS) == set(Problem) == set(OPERATOR_TEXT)


@pytest.mark.parametrize("language", sorted(SEAL_BROKEN))
def test_a_broken_seal_is_explained_in_the_readers_language(client, login, archived, language):
    first = archived["first"].id
    tamper("UPDATE decisions SET rationale = 'Quietly rewritten.' WHERE id = :id", id=first)
    login(client, archived["lead"])
    page = client.get(f"/archive/{first}", headers={"Accept-Language": language})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and SEAL_BROKEN[language] in html
    others = set(SEAL_BROKEN) - {language}
    assert not any(SEAL_BROKEN[other] in html for other in others)


def test_the_json_export_names_the_problem_and_keeps_the_operators_sentence(
    client, login, archived
):
    first = archived["first"].id
    tamper("UPDATE decisions SET rationale = 'Quietly rewritten.' WHERE id = :id", id=first)
    login(client, archived["lead"])
    document = json.loads(client.get(f"/archive/{first}/export.json").data)
    verification = document["verification"]
    assert verification["ok"] is False and verification["problem"] == "seal_broken"
    assert verification["reason"].startswith("Decision 1 was changed after it was recorded")
