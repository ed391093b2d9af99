"""The commands an operator runs on a release: create-admin and load-catalogue (issue 18)."""

from __future__ import annotations

import copy

import pytest

from app.extensions import db
from app.models import CatalogueVersion, User
from app.services import catalogue as catalogue_service
from app.services.catalogue import publish_catalogue
from tests import factories as f


@pytest.mark.parametrize("email", ["not an email", "admin@", "@example.com", "a@b@c.example"])
def test_create_admin_refuses_what_the_web_form_refuses(runner, email):
    result = runner.invoke(args=["create-admin", email, "--password", "long-enough-password"])
    assert result.exit_code != 0
    assert "is not an e-mail address" in result.output
    assert db.session.query(User).count() == 0


def test_create_admin_states_the_password_rule_before_asking(runner):
    result = runner.invoke(
        args=["create-admin", "first@example.com"],
        input="short\nlong-enough-password\nlong-enough-password\n",
    )
    assert result.exit_code == 0, result.output
    rule = result.output.index("at least 10 characters")
    assert rule < result.output.index("Password:")
    # The short one is refused at once, before the confirmation, and asked again.
    assert result.output.count("Password:") == 2 and "Repeat" in result.output
    assert db.session.query(User).filter_by(role="admin").count() == 1


def test_create_admin_reads_the_password_from_the_environment_for_scripts(runner, monkeypatch):
    monkeypatch.setenv("CANDOR_ADMIN_PASSWORD", "from-the-environment")
    result = runner.invoke(args=["create-admin", "ops@example.com"])
    assert result.exit_code == 0, result.output
    assert "from-the-environment" not in result.output
    from app.services.users import authenticate

    assert authenticate("ops@example.com", "from-the-environment").role == "admin"


def _newer_builtin(monkeypatch):
    document = copy.deepcopy(catalogue_service.default_catalogue_document())
    document["dimensions"][0]["team_statement"] = (
        document["dimensions"][0]["team_statement"] + " (revised)"
    )
    monkeypatch.setattr(catalogue_service, "default_catalogue_document", lambda: document)
    return document


def test_load_catalogue_loads_once_then_reports_it_current(runner):
    first = runner.invoke(args=["load-catalogue"])
    again = runner.invoke(args=["load-catalogue"])
    assert first.exit_code == again.exit_code == 0
    assert "version 1 loaded" in first.output and "version 1 is current" in again.output
    assert db.session.query(CatalogueVersion).count() == 1


def test_a_newer_builtin_catalogue_becomes_a_new_version_and_old_reviews_keep_theirs(
    runner, monkeypatch, review_team
):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    old_version = review.catalogue_version_id
    old_document = copy.deepcopy(review.catalogue_version.document)
    document = _newer_builtin(monkeypatch)
    result = runner.invoke(args=["load-catalogue"])
    assert result.exit_code == 0, result.output
    assert "published as version 2" in result.output
    db.session.expire_all()
    latest = catalogue_service.latest_version()
    assert latest.version == 2
    assert (
        latest.document["dimensions"][0]["team_statement"]
        == document["dimensions"][0]["team_statement"]
    )
    assert review.catalogue_version_id == old_version
    assert review.catalogue_version.document == old_document
    # Run again on the next release: nothing new.
    assert "version 2 is current" in runner.invoke(args=["load-catalogue"]).output


def test_key_order_alone_is_not_a_new_catalogue(runner, monkeypatch):
    runner.invoke(args=["load-catalogue"])
    document = catalogue_service.default_catalogue_document()
    reordered = {key: document[key] for key in reversed(list(document))}
    monkeypatch.setattr(catalogue_service, "default_catalogue_document", lambda: reordered)
    assert "is current" in runner.invoke(args=["load-catalogue"]).output
    assert db.session.query(CatalogueVersion).count() == 1


def test_an_administrators_edit_is_not_replaced_without_force(runner, monkeypatch, make_user):
    runner.invoke(args=["load-catalogue"])
    edited = copy.deepcopy(catalogue_service.latest_version().document)
    edited["dimensions"][0]["team_statement"] = "Our own wording."
    publish_catalogue(edited, make_user("admin"))
    _newer_builtin(monkeypatch)
    kept = runner.invoke(args=["load-catalogue"])
    assert kept.exit_code == 0 and "--force" in kept.output
    assert catalogue_service.latest_version().version == 2
    forced = runner.invoke(args=["load-catalogue", "--force"])
    assert "published as version 3" in forced.output


def test_the_head_written_on_an_empty_archive_verifies_on_the_next_run(runner, tmp_path):
    # A new site's cron job writes the head before any decision exists.
    head = tmp_path / "head"
    printed = runner.invoke(args=["verify-archive", "--head"])
    assert printed.exit_code == 0 and printed.output.strip() == "0 none"
    head.write_text(printed.output)
    checked = runner.invoke(args=["verify-archive", "--head-file", str(head)])
    assert checked.exit_code == 0, checked.output
