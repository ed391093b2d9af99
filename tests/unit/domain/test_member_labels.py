"""The one maker of members' anonymous labels (app/domain/member_labels.py)."""

from __future__ import annotations

import string
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.member_labels import label_mark, new_labels

LETTERS = [f"Member {letter}" for letter in string.ascii_uppercase]
# Labels a review may already hold: letters, numbers, and text from before these labels.
stored_labels = (
    st.sampled_from(LETTERS)
    | st.builds(lambda n: f"Member {n}", st.integers(1, 60))
    | st.sampled_from(["Member One", "team", "Respondent 3"])
)


@given(count=st.integers(0, 40), taken=st.sets(stored_labels, max_size=40))
def test_count_unique_labels_never_taken(count, taken):
    labels = new_labels(count, taken)
    assert len(labels) == count
    assert len(set(labels)) == count
    assert not set(labels) & taken
    assert all(label_mark(label) is not None for label in labels)


@pytest.mark.parametrize("count", [1, 5, 26])
def test_a_new_team_of_up_to_26_gets_the_first_letters(count):
    assert sorted(new_labels(count)) == LETTERS[:count]


@pytest.mark.parametrize("count", [27, 40, 120])
def test_a_new_team_of_more_than_26_gets_numbers_from_one(count):
    labels = new_labels(count)
    assert sorted(labels, key=lambda label: int(label_mark(label))) == [
        f"Member {n}" for n in range(1, count + 1)
    ]


def test_members_added_later_take_the_first_free_letters():
    taken = {"Member A", "Member C", "Member D"}
    assert sorted(new_labels(2, taken)) == ["Member B", "Member E"]


def test_a_team_outgrowing_the_letters_goes_on_in_numbers():
    assert new_labels(1, set(LETTERS)) == ["Member 1"]
    numbered = {f"Member {n}" for n in (1, 2, 4)}
    assert sorted(new_labels(2, numbered)) == ["Member 3", "Member 5"]


def test_the_order_is_random_not_the_order_of_the_list():
    """Labels are zipped with people in a fixed order, so the order must be shuffled:
    over many draws every label lands in the first place, none far more than others."""
    draws = 2600
    firsts = Counter(new_labels(26)[0] for _ in range(draws))
    assert set(firsts) == set(LETTERS)
    assert max(firsts.values()) < 3 * draws / 26  # about 100 each; 300 is far off
    assert len({tuple(new_labels(10)) for _ in range(50)}) > 40  # 10! orders


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        new_labels(-1)


@pytest.mark.parametrize(
    ("label", "mark"),
    [
        ("Member A", "A"),
        ("Member Z", "Z"),
        ("Member 1", "1"),
        ("Member 27", "27"),
        ("Member 999", "999"),
        ("team", None),
        ("Member", None),
        ("Member a", None),
        ("Member AB", None),
        ("Member 0", None),
        ("Member 07", None),
        ("Member One", None),
        (" Member A", None),
        ("Member A ", None),
        ("Member <b>", None),
    ],
)
def test_label_mark_reads_only_the_stored_format(label, mark):
    assert label_mark(label) == mark


@given(count=st.integers(1, 60), taken=st.sets(stored_labels, max_size=30))
def test_every_new_label_reads_back_to_its_mark(count, taken):
    for label in new_labels(count, taken):
        assert label == f"Member {label_mark(label)}"
