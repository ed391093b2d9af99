"""The archive's pages and exports through the test client: scope, filters, exports, audit."""

import csv
import io
import json

import pytest

from app.extensions import db
from app.models import AuditEvent
from app.services.archive_export import CSV_COLUMNS
from tests.archive_factory import rewrite_record, stored_record, tamper


def page_of(http, url):
    response = http.get(url)
    return response.status_code, response.get_data(as_text=True)


def test_the_archive_lists_every_decision_for_a_lead_with_links(client, login, archived):
    login(client, archived["lead"])
    status, html = page_of(client, "/archive/")
    assert status == 200
    assert f'href="/archive/{archived["first"].id}"' in html
    assert f'href="/archive/{archived["second"].id}"' in html
    assert "Client &lt;b&gt;Bold&lt;/b&gt; AS" in html and "<b>Bold</b>" not in html
    assert 'href="/archive/"' in html  # the nav link
    search_form = html[html.index('role="search"') :]
    assert "csrf_token" not in search_form[: search_form.index("</form>")]  # GET changes nothing


def test_query_string_filters_narrow_the_list(client, login, archived):
    login(client, archived["lead"])
    _, html = page_of(client, f"/archive/?client={archived['cmd'].id}&outcome=not_confirmed")
    assert f'/archive/{archived["second"].id}"' in html
    assert f'/archive/{archived["first"].id}"' not in html
    assert "1 decision found." in html


@pytest.mark.parametrize(
    "query",
    ["page=-1", "page=abc", "page=0", "page=" + "9" * 40, "page=", "page=%C2%B2", "page=1.5"],
)
def test_a_bad_page_number_falls_back_to_a_sane_page(client, login, archived, query):
    login(client, archived["lead"])
    status, html = page_of(client, "/archive/?" + query)
    assert status == 200 and "2 decisions found." in html


def test_page_links_keep_the_filters(client, login, archived, monkeypatch):
    from app.services import archive

    monkeypatch.setattr(archive, "PER_PAGE", 1)
    login(client, archived["lead"])
    _, html = page_of(client, "/archive/?q=the&outcome=")
    assert "Page 1 of 2" in html and f'/archive/{archived["second"].id}"' in html
    assert 'href="/archive/?page=2&amp;q=the"' in html
    _, html = page_of(client, "/archive/?page=2&q=the")
    assert "Page 2 of 2" in html and f'/archive/{archived["first"].id}"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2026-13-45", "Not a valid date value."),
        ("date_to=yesterday", "Not a valid date value."),
        ("date_from=2026-03-01&date_to=2026-01-01", "The end date is before the start date."),
        ("q=" + "x" * 5000, "Field cannot be longer than 200 characters."),
        ("q=a%00b", "The search cannot contain control characters."),
        ("client=abc", "Not a valid choice."),
        ("client=99999", "Not a valid choice."),
        ("outcome=bogus", "Not a valid choice."),
        ("category=%3Cscript%3E", "Not a valid choice."),
        ("lead=-3", "Not a valid choice."),
    ],
)
def test_invalid_filters_get_a_clear_message_never_a_server_error(
    client, login, archived, query, message
):
    login(client, archived["lead"])
    for url in ("/archive/?", "/archive/export.csv?", "/archive/export.json?"):
        status, html = page_of(client, url + query)
        assert status == 400, url
        assert message in html and "Some filters are not valid" in html
        assert "<script>" not in html


def test_a_member_sees_only_decisions_of_reviews_they_were_on(client, login, archived):
    login(client, archived["team"][0])
    _, html = page_of(client, "/archive/")
    assert f'/archive/{archived["first"].id}"' in html
    assert f'/archive/{archived["second"].id}"' not in html
    assert page_of(client, f"/archive/{archived['first'].id}")[0] == 200


@pytest.mark.parametrize(
    "suffix", ["", "/print", "/export.json", "/chart.svg", "/chart.png", "/chart.svg?kind=votes"]
)
def test_a_guessed_url_of_someone_elses_decision_is_not_found(app, client, login, archived, suffix):
    login(client, archived["outsider"])
    assert client.get(f"/archive/{archived['first'].id}{suffix}").status_code == 404
    member = app.test_client()
    login(member, archived["team"][0])
    assert member.get(f"/archive/{archived['second'].id}{suffix}").status_code == 404
    assert member.get(f"/archive/99999{suffix}").status_code == 404
    assert db.session.query(AuditEvent).filter_by(action="archive.exported").count() == 0
    assert member.get(f"/archive/{archived['first'].id}{suffix}").status_code == 200


def test_a_members_list_exports_leave_out_other_reviews(client, login, archived):
    login(client, archived["team"][0])
    body = client.get("/archive/export.csv").get_data(as_text=True)
    assert "Months of vague goals." in body and "HYPERLINK" not in body
    data = json.loads(client.get("/archive/export.json").get_data(as_text=True))
    assert [d["decision_id"] for d in data["decisions"]] == [archived["first"].id]


def test_the_csv_export_neutralises_cells_a_spreadsheet_would_run(client, login, archived):
    login(client, archived["lead"])
    response = client.get("/archive/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    header, newest, oldest = rows[0], rows[1], rows[2]
    assert len(rows) == 3 and header[:3] == ["Sequence", "Decision", "Decided at (UTC)"]
    # The header row is in the reader's language; the columns are the same in every language.
    header = list(CSV_COLUMNS)
    record = dict(zip(header, newest, strict=True))
    assert record["client"] == "'+cmd Corp"
    assert record["rationale"] == '\'=HYPERLINK("http://evil.example","click")'
    assert record["conflict"] == "'@SUM(A1:A9) in the conflict."
    assert dict(zip(header, oldest, strict=True))["confirmed"] == "Muddy"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_the_json_export_follows_the_filters(client, login, archived):
    login(client, archived["lead"])
    response = client.get(f"/archive/export.json?client={archived['bold'].id}")
    assert response.mimetype == "application/json"
    data = json.loads(response.get_data(as_text=True))
    assert data["filters"]["client_id"] == archived["bold"].id
    assert [d["decision_id"] for d in data["decisions"]] == [archived["first"].id]
    assert data["decisions"][0]["confirmed"] == ["Muddy"]


def test_every_export_writes_an_audit_event(client, login, archived):
    login(client, archived["lead"])
    first = archived["first"].id
    for url in (
        "/archive/export.csv?q=brief",
        "/archive/export.json",
        f"/archive/{first}/print",
        f"/archive/{first}/export.json",
    ):
        assert client.get(url).status_code == 200, url
    events = (
        db.session.query(AuditEvent)
        .filter_by(action="archive.exported")
        .order_by(AuditEvent.id)
        .all()
    )
    assert [(e.object_type, e.object_id, json.loads(e.details)["format"]) for e in events] == [
        ("archive", None, "csv"),
        ("archive", None, "json"),
        ("decision", first, "print"),
        ("decision", first, "json"),
    ]
    assert json.loads(events[0].details)["filters"]["q"] == "brief"
    assert {e.actor_id for e in events} == {archived["lead"].id}


def test_the_detail_page_shows_the_frozen_record_and_that_it_verifies(client, login, archived):
    login(client, archived["team"][1])
    status, html = page_of(client, f"/archive/{archived['first'].id}")
    assert status == 200
    for text in (
        "Months of vague goals.",
        "The brief was never agreed.",
        "Muddy",
        "Enough independent answers",
        "This record verifies.",
        "Lena Lead",
        f"/archive/{archived['first'].id}/chart.svg",
        "Quality of what we delivered",
    ):
        assert text in html, text


def test_the_detail_page_says_when_a_record_was_changed_behind_the_apps_back(
    client, login, archived
):
    tamper(
        "UPDATE decisions SET rationale = 'Quietly rewritten.' WHERE id = :id",
        id=archived["first"].id,
    )
    login(client, archived["lead"])
    _, html = page_of(client, f"/archive/{archived['first'].id}")
    assert "This record does NOT verify." in html and "rationale" in html
    assert "Quietly rewritten." not in html  # the page shows the sealed record
    document = json.loads(client.get(f"/archive/{archived['first'].id}/export.json").data)
    assert document["verification"]["ok"] is False


def test_the_decision_json_carries_the_sealed_snapshot(client, login, archived):
    login(client, archived["lead"])
    response = client.get(f"/archive/{archived['first'].id}/export.json")
    document = json.loads(response.get_data(as_text=True))
    assert document["record"] == stored_record(archived["first"].id)
    assert document["decision"]["digest"] == archived["first"].digest
    assert document["verification"]["ok"] is True


def test_the_printable_page_uses_the_print_stylesheet(client, login, archived):
    login(client, archived["lead"])
    _, html = page_of(client, f"/archive/{archived['first'].id}/print")
    assert 'print.css" media="print"' in html and "The brief was never agreed." in html


def test_the_chart_is_drawn_from_the_snapshot(client, login, archived):
    login(client, archived["lead"])
    first = archived["first"].id
    svg = client.get(f"/archive/{first}/chart.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    png = client.get(f"/archive/{first}/chart.png?kind=votes")
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    assert client.get(f"/archive/{first}/chart.gif").status_code == 404
    # A schema-2 record holds the anonymised answers: the confidence chart is redrawn too.
    confidence = client.get(f"/archive/{first}/chart.svg?kind=confidence")
    assert confidence.status_code == 200 and b"<svg" in confidence.data
    assert client.get(f"/archive/{first}/chart.svg?kind=nonsense").status_code == 404


def test_the_client_page_shows_its_reviews_and_decisions(app, client, login, archived):
    login(client, archived["lead"])
    _, html = page_of(client, f"/clients/{archived['bold'].id}")
    assert "Reviews and decisions" in html and "Status history" in html
    assert f'/archive/{archived["first"].id}"' in html
    outsider = app.test_client()
    login(outsider, archived["outsider"])
    _, html = page_of(outsider, f"/clients/{archived['bold'].id}")
    assert "No reviews of this client yet." in html
    assert f'/archive/{archived["first"].id}"' not in html and "vague goals" not in html


def test_verify_archive_exits_0_when_intact_and_1_naming_the_broken_link(runner, archived):
    result = runner.invoke(args=["verify-archive"])
    assert result.exit_code == 0 and "All 2 decisions verified" in result.output
    rewrite_record(1, lambda record: record["client"].update(name="Someone else"))
    result = runner.invoke(args=["verify-archive", "--batch-size", "1"])
    assert result.exit_code == 1
    assert "First broken record: decision 1." in result.output


def test_verify_archive_keeps_its_head_outside_the_database(runner, archived, tmp_path):
    head_file = tmp_path / "head"
    printed = runner.invoke(args=["verify-archive", "--head"])
    assert printed.exit_code == 0
    sequence, digest = printed.output.split()
    assert (int(sequence), digest) == (2, archived["second"].digest)
    first_run = runner.invoke(args=["verify-archive", "--head-file", str(head_file)])
    assert first_run.exit_code == 0 and "No head file yet" in first_run.output
    head_file.write_text(printed.output)
    assert runner.invoke(args=["verify-archive", "--head-file", str(head_file)]).exit_code == 0
    newest, review_id = archived["second"].id, archived["second"].review_id
    tamper("DELETE FROM category_decisions WHERE decision_id = :id", id=newest)
    tamper("DELETE FROM decisions WHERE id = :id", id=newest)
    tamper("UPDATE reviews SET state = 'closed' WHERE id = :id", id=review_id)
    result = runner.invoke(args=["verify-archive", "--head-file", str(head_file)])
    assert result.exit_code == 1 and "newest decisions were removed" in result.output
    head_file.write_text("garbage")
    unreadable = runner.invoke(args=["verify-archive", "--head-file", str(head_file)])
    assert unreadable.exit_code == 1 and "cannot be read" in unreadable.output


def test_a_snapshot_replaced_by_something_else_is_reported_not_a_server_error(
    client, login, runner, archived
):
    first = archived["first"].id
    tamper("UPDATE decisions SET record_text = '[1, 2]' WHERE id = :id", id=first)
    login(client, archived["lead"])
    status, html = page_of(client, f"/archive/{first}")
    assert status == 200 and "This record does NOT verify." in html
    assert client.get(f"/archive/{first}/chart.svg").status_code == 404
    assert client.get(f"/archive/{first}/print").status_code == 200
    result = runner.invoke(args=["verify-archive"])
    assert result.exit_code == 1 and "decision 1." in result.output
    tamper("UPDATE decisions SET record_text = '{not json' WHERE id = :id", id=first)
    assert client.get(f"/archive/{first}").status_code == 200
    result = runner.invoke(args=["verify-archive"])
    assert result.exit_code == 1 and "First broken record: decision 1." in result.output


def test_verify_archive_quick_skips_only_the_answer_rows(runner, archived):
    review_id = archived["first"].review_id
    tamper(
        "UPDATE team_answers SET rating = 1 WHERE response_id IN "
        "(SELECT id FROM team_responses WHERE review_id = :id)",
        id=review_id,
    )
    quick = runner.invoke(args=["verify-archive", "--quick"])
    assert quick.exit_code == 0
    full = runner.invoke(args=["verify-archive"])
    assert full.exit_code == 1 and "answers that were changed" in full.output
    rewrite_record(2, lambda record: record.update(rationale="Kinder."))
    quick = runner.invoke(args=["verify-archive", "--quick"])
    assert quick.exit_code == 1 and "decision 2" in quick.output
