"""What the archive keeps of a decision's pages, and what it never keeps: the record's own
part of the page (app/archive/decision_block.py) and its charts, each kept under what it
was drawn from, and drawn afresh when the stored record changed."""

import pytest

from tests.archive_factory import rewrite_record
from tests.helpers import without_token
from tests.web.test_archive_views import page_of


@pytest.fixture
def record_reads(monkeypatch):
    """Counts the times a decision's record text is parsed."""
    from app.models import decisions as decision_model

    reads = []
    real = decision_model.read_record
    monkeypatch.setattr(decision_model, "read_record", lambda text: reads.append(1) or real(text))
    return reads


def test_a_kept_archive_chart_is_served_without_reading_the_record(
    client, login, archived, record_reads
):
    login(client, archived["lead"])
    url = f"/archive/{archived['first'].id}/chart.svg?kind=confidence"
    first = client.get(url)
    assert first.status_code == 200 and len(record_reads) == 1
    again = client.get(url)
    assert again.data == first.data and len(record_reads) == 1


def test_an_archive_chart_whose_seal_fails_is_drawn_afresh_every_time(
    client, login, archived, record_reads
):
    def renamed(record):
        record["client"]["name"] = "Someone Else AS"

    rewrite_record(archived["first"].sequence, renamed)
    login(client, archived["lead"])
    url = f"/archive/{archived['first'].id}/chart.svg"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert len(record_reads) == 2


def test_the_records_part_of_the_page_is_kept_and_drawn_anew_when_its_text_changes(
    client, login, archived, record_reads
):
    login(client, archived["lead"])
    url = f"/archive/{archived['first'].id}"
    first = page_of(client, url)[1]
    assert record_reads and "The brief was never agreed." in first
    before = len(record_reads)
    # The same page but for the log-out form's CSRF token, signed with the second it was made.
    assert without_token(page_of(client, url)[1]) == without_token(first)
    assert len(record_reads) == before

    def reworded(record):
        record["rationale"] = "Rewritten in the record itself."

    rewrite_record(archived["first"].sequence, reworded)
    _, html = page_of(client, url)
    assert "Rewritten in the record itself." in html  # the stored text, drawn afresh
    assert "This record does NOT verify." in html


def test_the_kept_part_says_what_the_client_is_called_now(client, login, archived):
    from app.services.clients import update_client

    login(client, archived["lead"])
    url = f"/archive/{archived['first'].id}"
    assert "now called" not in page_of(client, url)[1]
    update_client(archived["bold"].id, "Bold Renamed AS", "", "", "", archived["lead"])
    assert "now called Bold Renamed AS" in page_of(client, url)[1]
