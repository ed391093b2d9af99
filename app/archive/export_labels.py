"""The archive export's column headings and yes/no in the reader's language.

CSV gets them as its header row; JSON keeps its keys stable (programs read them) and
carries these labels beside the data under "labels".
"""

from flask_babel import lazy_gettext as _l

COLUMN_LABELS = {
    "sequence": _l("Sequence"),
    "decision_id": _l("Decision"),
    "decided_at": _l("Decided at (UTC)"),
    "client": _l("Client"),
    "client_id": _l("Client number"),
    "review_id": _l("Review"),
    "decided_by": _l("Decided by"),
    "final_status": _l("Client status after the decision"),
    "one_sided": _l("One-sided (no client view)"),
    "confirmed": _l("Confirmed categories"),
    "not_confirmed": _l("Categories not confirmed"),
    "waiver_reason": _l("Reason for deciding without the client's view"),
    "rationale": _l("Rationale"),
    "conflict": _l("The conflict"),
    "digest": _l("Seal (SHA-256)"),
    "previous_digest": _l("Previous seal"),
}


def headings() -> dict[str, str]:
    return {column: str(label) for column, label in COLUMN_LABELS.items()}


def yes_no() -> dict[bool, str]:
    return {True: str(_l("yes")), False: str(_l("no"))}
