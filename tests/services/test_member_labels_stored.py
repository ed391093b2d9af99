"""Opening a review and adding members later label members from one maker
(app/domain/member_labels.py), in the stored format sealed records rely on."""

from datetime import timedelta

from app.extensions import db
from app.models import ReviewParticipant, utcnow
from app.services import review_changes
from tests import factories as f


def _labels(review_id) -> dict[int, str]:
    rows = db.session.query(ReviewParticipant).filter_by(review_id=review_id)
    return {row.user_id: row.label for row in rows}


def test_a_team_of_more_than_26_is_numbered_from_one(make_user, make_client):
    lead = make_user("lead")
    members = [make_user("member") for _ in range(27)]
    review = f.open_review(lead, make_client(actor=lead), members, quorum=3)
    assert sorted(_labels(review.id).values(), key=lambda label: int(label.split()[1])) == [
        f"Member {n}" for n in range(1, 28)
    ]


def test_members_added_later_take_free_letters_and_keep_the_others(make_user, make_client):
    lead = make_user("lead")
    members = [make_user("member") for _ in range(4)]
    review = f.open_review(lead, make_client(actor=lead), members[:3], quorum=3)
    before = _labels(review.id)
    dropped = members[2]
    kept = [m.id for m in members[:2]]
    added = [members[3].id, make_user("member").id, make_user("member").id]
    review_changes.change_review(
        review.id, lead, kept + added, 3, utcnow() + timedelta(days=5), utcnow()
    )
    after = _labels(review.id)
    assert {user_id: after[user_id] for user_id in kept} == {i: before[i] for i in kept}
    # Three new members in a team of five: the free letters among A to E, the dropped
    # member's label among them (nobody answered under it).
    assert sorted(after.values()) == [f"Member {c}" for c in "ABCDE"]
    assert before[dropped.id] in {after[user_id] for user_id in added}
