"""The wording of the incident log's and the offboarding kit's refusals (their codes come
from app/domain/incidents.py, app/domain/offboarding.py and their services). Kept beside
the feature, so app/messages.py stays as it is; unknown codes fall back to it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.messages import error_text

WORDINGS = {
    "incident_kind_unknown": _l("Choose one of the listed kinds."),
    "incident_date_missing": _l("Give the day it happened, as a date."),
    "incident_date_future": _l("The day cannot be in the future."),
    "incident_date_too_old": _l("The day cannot be before the year 2000."),
    "incident_text_missing": _l("Say what happened."),
    "incident_text_too_long": _l("The text is too long."),
    "incident_category_unknown": _l("Choose a category from the catalogue, or none."),
    "incident_amount_out_of_range": _l("The amount must be above 0 and at most 10 billion."),
    "incident_amount_missing": _l("Give the amount of the late or missed payment."),
    "incident_invoice_too_long": _l("The invoice reference is too long."),
    "incident_currency_invalid": _l("Give the currency as up to three letters, e.g. EUR."),
    "incident_not_of_client": _l("Attach only entries from this client's log."),
    "kit_exists": _l("This client's offboarding kit is already open."),
    "kit_already_completed": _l("The kit is completed and sealed; nothing can change now."),
    "kit_payments_not_current": _l(
        "Accounts can be handed over once payments are recorded as current, or once you "
        "have written why they are handed over anyway."
    ),
    "kit_payments_unrecorded": _l("Record whether payments are current."),
    "kit_accounts_pending": _l("Hand over every managed account first."),
    "kit_report_missing": _l("Write and save the closing report first."),
    "kit_reason_missing": _l("Write and save the reason statement first."),
    "kit_final_status_missing": _l("Choose the final status first."),
    "kit_account_missing": _l("Give the account's name and platform."),
    "kit_account_name_too_long": _l("The account name is too long."),
    "kit_platform_too_long": _l("The platform name is too long."),
    "kit_too_many_accounts": _l("A kit holds at most 100 accounts."),
    "kit_override_too_long": _l("The reason is too long."),
    "kit_text_too_long": _l("The text is too long."),
    "kit_status_unknown": _l("Choose one of the listed final statuses."),
    "mail_unavailable": _l("E-mail is not configured, or the client has no e-mail address."),
    "mail_failed": _l("The e-mail could not be sent; nothing was logged. Try again later."),
}


def problem_text(error) -> str:
    wording = WORDINGS.get(getattr(error, "code", ""))
    return str(wording) if wording is not None else error_text(error)
