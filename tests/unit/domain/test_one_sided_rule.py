"""The one-sided rule as data: a verdict may be confirmed with a written reason exactly
when something fails and everything that fails is "not assessed" (the client's view)."""

from hypothesis import given
from hypothesis import strategies as st

from app.domain.conditions import Condition
from app.domain.verdict import Verdict

conditions = st.lists(
    st.builds(
        Condition,
        code=st.sampled_from(["quorum", "vote_share", "corroboration", "client_view"]),
        passed=st.booleans(),
        reason=st.just("r"),
        assessed=st.booleans(),
    ),
    max_size=8,
)


@given(conditions)
def test_confirmable_with_reason_only_when_every_failure_is_unassessed(items):
    verdict = Verdict(
        category_key="muddy",
        confirmable=all(c.passed for c in items),
        one_sided=False,
        conditions=tuple(items),
        agreement=None,
        not_assessed=(),
    )
    failing = [c for c in items if not c.passed]
    expected = bool(failing) and all(not c.assessed for c in failing)
    assert verdict.confirmable_with_reason is expected
    # Never both: a verdict that holds needs no reason.
    assert not (verdict.confirmable and verdict.confirmable_with_reason)
