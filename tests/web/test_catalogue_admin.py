import json

from app.extensions import db
from app.models import CatalogueVersion
from app.services.catalogue import latest_version
from tests import factories as f


def test_admin_publishes_a_new_version_and_old_reviews_keep_theirs(
    client, login, make_user, make_client
):
    f.ensure_catalogue()
    lead = make_user("lead")
    members = [make_user() for _ in range(3)]
    old_review = f.open_review(lead, make_client(actor=lead), members)
    login(client, make_user("admin"))
    page = client.get("/admin/catalogue")
    assert page.status_code == 200 and b"Current version: 1." in page.data
    document = {k: v for k, v in latest_version().document.items() if k != "version"}
    document["dimensions"][0]["title"] = "Quality we promised, renamed"
    response = client.post("/admin/catalogue", data={"document": json.dumps(document)})
    assert response.status_code == 302
    assert latest_version().version == 2
    assert old_review.catalogue_version.version == 1
    assert "renamed" not in json.dumps(old_review.catalogue_version.document)


def test_invalid_catalogues_are_refused_with_the_problem_and_nothing_is_published(
    client, login, make_user
):
    f.ensure_catalogue()
    login(client, make_user("admin"))
    document = {k: v for k, v in latest_version().document.items() if k != "version"}
    document["categories"][0]["dimension_keys"] = ["no_such_dimension"]
    cases = ["{not json", "[]", json.dumps(document), ""]
    for text in cases:
        response = client.post("/admin/catalogue", data={"document": text})
        assert response.status_code == 400, text[:20]
    assert (
        b"no_such_dimension"
        in client.post("/admin/catalogue", data={"document": json.dumps(document)}).data
    )
    assert db.session.query(CatalogueVersion).count() == 1


def test_only_admins_edit_the_catalogue(client, login, make_user):
    f.ensure_catalogue()
    login(client, make_user("lead"))
    assert client.get("/admin/catalogue").status_code == 403
    assert client.post("/admin/catalogue", data={"document": "{}"}).status_code == 403


def _current_document():
    return {k: v for k, v in latest_version().document.items() if k != "version"}


def test_publishing_an_unchanged_catalogue_is_refused(client, login, make_user):
    f.ensure_catalogue()
    login(client, make_user("admin"))
    text = json.dumps(_current_document(), indent=4)  # other spacing, same content
    response = client.post("/admin/catalogue", data={"document": text})
    assert response.status_code == 400
    assert "already published as version 1" in response.get_data(as_text=True)
    assert db.session.query(CatalogueVersion).count() == 1


def test_a_json_syntax_error_names_its_line_and_column(client, login, make_user):
    f.ensure_catalogue()
    login(client, make_user("admin"))
    response = client.post("/admin/catalogue", data={"document": '{\n  "version": 1,\n  oops\n}'})
    assert response.status_code == 400
    assert "line 3, column 3" in response.get_data(as_text=True)


def test_each_problem_names_the_question_or_category_it_is_in(client, login, make_user):
    f.ensure_catalogue()
    login(client, make_user("admin"))
    document = _current_document()
    document["dimensions"][1]["title"] = " "
    document["categories"][2]["dimension_keys"] = ["ghost"]
    document["translations"]["da"]["categories"]["muddy"]["handling"] = ["kun én"]
    page = client.post("/admin/catalogue", data={"document": json.dumps(document)})
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    second_dimension = document["dimensions"][1]["key"]
    third_category = document["categories"][2]["key"]
    assert f"Question 2 ({second_dimension}): “title” is empty." in text
    assert f"Category 3 ({third_category}): links to “ghost”, which no question has." in text
    assert "Translation into Dansk of “muddy”: “handling” needs" in text
    assert db.session.query(CatalogueVersion).count() == 1


def test_a_translated_text_changes_the_catalogue_and_is_published(client, login, make_user):
    f.ensure_catalogue()
    login(client, make_user("admin"))
    document = _current_document()
    document["translations"]["hu"]["dimensions"]["timeliness"]["title"] = "Határidők"
    assert (
        client.post("/admin/catalogue", data={"document": json.dumps(document)}).status_code == 302
    )
    assert latest_version().version == 2
    assert latest_version().document["translations"]["hu"]["dimensions"]["timeliness"] == {
        **document["translations"]["hu"]["dimensions"]["timeliness"]
    }
