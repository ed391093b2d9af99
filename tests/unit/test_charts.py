"""Pure rendering: domain numbers in, valid SVG/PNG bytes out, readable in the hard cases."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from app.charts import KINDS, chart_inputs, render_chart, render_snapshot_chart
from app.charts.snapshot import UnsupportedSnapshotChart
from app.domain.catalogue import Catalogue
from app.domain.scoring import score_review
from app.domain.snapshot import build_snapshot, canonical_json
from app.domain.thresholds import Thresholds
from app.domain.verdict import evaluate_all
from tests.unit.domain.builders import CATALOGUE, DELIVERY, GOALS, member, response, review

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG = "{http://www.w3.org/2000/svg}"
THRESHOLDS = Thresholds()


def inputs_for(data, catalogue=CATALOGUE):
    scores = score_review(data, THRESHOLDS)
    voted = [key for key in catalogue.category_keys if scores.votes.get(key)]
    verdicts = evaluate_all(data, THRESHOLDS, voted)
    return chart_inputs(catalogue, data, scores, verdicts, THRESHOLDS), scores, verdicts


def svg_text(body: bytes) -> str:
    """All text of a parsed SVG (parsing proves it is well-formed XML)."""
    root = ET.fromstring(body)
    assert root.tag == f"{SVG}svg"
    return " ".join("".join(element.itertext()) for element in root.iter(f"{SVG}text"))


def three_members_overconfident_on_delivery():
    ratings = {key: 4 for key in CATALOGUE.dimension_keys}
    team = [response(member(index), {**ratings, DELIVERY: 5}, confidence=95) for index in range(3)]
    client = {key: 4 for key in CATALOGUE.dimension_keys} | {DELIVERY: 2}
    return review(team, client)


@pytest.mark.parametrize("kind", KINDS)
def test_every_chart_renders_as_well_formed_svg_with_its_text_kept_as_text(kind):
    inputs, _, _ = inputs_for(three_members_overconfident_on_delivery())
    body = render_chart(kind, "svg", inputs)
    text = svg_text(body)
    assert text.strip(), "svg.fonttype 'none' keeps labels as <text>, not glyph paths"
    assert b"<title>" in body


@pytest.mark.parametrize("kind", KINDS)
def test_every_chart_renders_as_png(kind):
    inputs, _, _ = inputs_for(three_members_overconfident_on_delivery())
    assert render_chart(kind, "png", inputs).startswith(PNG_MAGIC)


def test_a_flagged_row_carries_the_flag_label_in_words():
    inputs, scores, _ = inputs_for(three_members_overconfident_on_delivery())
    assert scores.stats_for(DELIVERY).team_flagged
    text = svg_text(render_chart("divergence", "svg", inputs))
    assert text.count("Overconfidence flag") >= 1
    assert "Quality of what we delivered" in text


def test_the_same_numbers_give_the_same_bytes():
    inputs, _, _ = inputs_for(three_members_overconfident_on_delivery())
    assert render_chart("divergence", "svg", inputs) == render_chart("divergence", "svg", inputs)


def test_one_respondent_and_no_client_view_still_draw_every_chart():
    data = review([response(member(0), {GOALS: 4, DELIVERY: 3}, choices=())], None, quorum=1)
    inputs, _, _ = inputs_for(data)
    assert not inputs.divergence.has_client and inputs.confidence.points == ()
    divergence = svg_text(render_chart("divergence", "svg", inputs))
    assert "No client view was recorded" in divergence
    assert "no gap to plot" in svg_text(render_chart("confidence", "svg", inputs))
    assert "No category received a vote" in svg_text(render_chart("votes", "svg", inputs))


def forty_dimension_catalogue() -> Catalogue:
    document = CATALOGUE.to_dict()
    document.pop("translations")  # they translate the default's questions, not these
    document["dimensions"] = [
        {
            "key": f"dim_{index:02d}",
            "title": f"Dimension {index} costs $5 or $10",
            "team_statement": "We did it.",
            "client_statement": "They did it.",
            "universal": True,
        }
        for index in range(40)
    ]
    for category in document["categories"]:
        category["dimension_keys"] = ["dim_00"]
    return Catalogue.from_dict(document)


def test_forty_dimensions_make_a_taller_chart_with_every_title_and_dollars_kept_literal():
    catalogue = forty_dimension_catalogue()
    ratings = {key: 3 for key in catalogue.dimension_keys}
    data = review([response(member(i), ratings) for i in range(3)], dict(ratings))
    data = type(data)(catalogue, data.team, data.client, data.quorum)
    forty, _, _ = inputs_for(data, catalogue)
    few, _, _ = inputs_for(three_members_overconfident_on_delivery())
    tall = ET.fromstring(render_chart("divergence", "svg", forty))
    short = ET.fromstring(render_chart("divergence", "svg", few))
    assert float(tall.get("height").rstrip("pt")) > 2 * float(short.get("height").rstrip("pt"))
    text = svg_text(ET.tostring(tall))
    for index in range(40):
        assert f"Dimension {index} costs $5 or $10" in text  # "$...$" not read as maths


def test_equal_ratings_are_spread_so_every_member_dot_is_drawn_apart():
    from app.charts.divergence import _spread

    offsets = [offset for _, offset in _spread((4, 4, 4, 4, 5))]
    assert len(set(offsets[:4])) == 4 and offsets[4] == 0.0


def test_confidence_points_use_the_domains_flag_rule_and_no_member_labels():
    inputs, scores, _ = inputs_for(three_members_overconfident_on_delivery())
    zone = [point for point in inputs.confidence.points if point.in_flag_zone]
    member_flags = [flag for flag in scores.flags if flag.who != "team"]
    assert len(zone) == len(member_flags) == 3
    assert not any("Member" in repr(point) for point in inputs.confidence.points)


def snapshot_of(data):
    scores = score_review(data, THRESHOLDS)
    voted = [key for key in CATALOGUE.category_keys if scores.votes.get(key)]
    snapshot = build_snapshot(
        scores=scores,
        verdicts=evaluate_all(data, THRESHOLDS, voted),
        conflict="c",
        client_name="Client",
        decided_by="Lead",
        decided_at="2026-01-01T00:00:00+00:00",
        rationale="r",
        outcomes={},
        participants=[],
        one_sided=False,
        waiver=None,
        thresholds=THRESHOLDS,
        catalogue_version=1,
    )
    snapshot["catalogue"] = {
        "dimensions": {d.key: {"title": d.title} for d in CATALOGUE.dimensions},
        "categories": {c.key: {"name": c.name} for c in CATALOGUE.categories},
    }
    return json.loads(canonical_json(snapshot))  # as the archive reads it back


def test_an_archived_snapshot_draws_ranges_instead_of_member_dots_and_its_votes():
    snapshot = snapshot_of(three_members_overconfident_on_delivery())
    divergence = render_snapshot_chart(snapshot, "divergence", "svg")
    text = svg_text(divergence)
    assert "Team range, lowest to highest rating" in text
    assert "One member's rating" not in text
    assert "Overconfidence flag" in text
    votes = svg_text(render_snapshot_chart(snapshot, "votes", "svg"))
    assert "Muddy" in votes and "3 of 3" in votes
    assert render_snapshot_chart(snapshot, "votes", "png").startswith(PNG_MAGIC)
    with pytest.raises(UnsupportedSnapshotChart):
        render_snapshot_chart(snapshot, "confidence", "svg")


def test_an_unknown_format_is_refused():
    inputs, _, _ = inputs_for(three_members_overconfident_on_delivery())
    with pytest.raises(ValueError):
        render_chart("divergence", "gif", inputs)


def test_the_chart_package_stays_pure_no_flask_database_or_services():
    import ast
    from pathlib import Path

    forbidden = ("flask", "sqlalchemy", "werkzeug", "app.models", "app.services", "pyplot")
    package = Path(__file__).resolve().parents[2] / "app" / "charts"
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [alias.name for alias in node.names]
                for name in names:
                    assert not any(bad in name for bad in forbidden), f"{source.name}: {name}"


def test_fanned_points_never_cross_the_flag_zone_edges():
    from app.charts.confidence import _fanned
    from app.charts.inputs import ConfidenceInput, ConfidencePoint

    fields = ConfidencePoint.__dataclass_fields__
    assert {"confidence", "gap", "in_flag_zone"} <= set(fields)

    def point(confidence, gap, zone):
        values = {name: 0 for name in fields}
        values.update(confidence=confidence, gap=gap, in_flag_zone=zone)
        return ConfidencePoint(**values)

    # 40 identical answers sitting just inside the zone's corner, 40 just outside.
    inside = [point(70, 1, True) for _ in range(40)]
    outside = [point(69, 1, False) for _ in range(40)]
    chart = ConfidenceInput(
        tuple(inside + outside), True, gap_threshold=0.93, confidence_threshold=70
    )
    placed = _fanned(chart)
    for x, y, zone in placed:
        assert (x >= 70 and y >= 0.93) == zone
