"""The demo agency's incident log and completed offboarding kit (issue 17): Latepay
Logistics has a documented history of late payments, a decision that confirms it, a
payment reminder logged as sent, and a completed kit whose closing report is sealed in
the archive chain. Built through the real use cases, like the rest of the demo."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.domain.incidents import EntryInput
from app.models import User
from app.services import incidents, offboarding


def latepay_log(client_id: int, people: list[User], now: datetime) -> list[int]:
    """Entries recorded as things happened, months before the review; returns their ids."""
    anna, bela = people
    day = timedelta(days=1)
    entries = [
        (
            anna,
            120,
            EntryInput(
                "late_payment",
                None,
                "Invoice 2031 not paid on its due date.",
                amount_minor=1_850_000,
                currency="DKK",
                invoice_ref="2031",
            ),
        ),
        (
            bela,
            95,
            EntryInput(
                "late_payment",
                None,
                "Invoice 2040 unpaid; a partial payment "
                "of 2,000 arrived with a promise for the rest.",
                amount_minor=1_850_000,
                currency="DKK",
                invoice_ref="2040",
            ),
        ),
        (
            anna,
            80,
            EntryInput(
                "unanswered_question",
                None,
                "Asked twice which product pages "
                "to prioritise; no answer after the agreed five working days.",
            ),
        ),
        (
            bela,
            62,
            EntryInput(
                "late_payment",
                None,
                "Invoice 2052 unpaid; the client asked "
                "us to keep working and said it would pay eventually.",
                amount_minor=1_850_000,
                currency="DKK",
                invoice_ref="2052",
            ),
        ),
    ]
    ids = []
    for author, days_ago, given in entries:
        when = now - days_ago * day
        given = EntryInput(**{**given.__dict__, "occurred_on": when.date()})
        ids.append(incidents.record_entry(client_id, author, given, when).id)
    return ids


def latepay_offboarded(client_id: int, lead: User, now: datetime) -> None:
    """After the decision: a reminder logged as sent, then the kit worked through and sealed."""
    day = timedelta(days=1)
    incidents.log_message_sent(
        client_id,
        lead,
        "payment_reminder",
        "Dear Lars, we are sure this has simply slipped through: invoices 2031, 2040 and "
        "2052 are still open. Could you arrange the payment within the next few days?",
        now - 40 * day,
        by_mail=False,
    )
    offboarding.open_kit(client_id, lead, now - 39 * day)
    site = offboarding.add_account(client_id, lead, "Latepay Search Console", "Google")
    ads = offboarding.add_account(client_id, lead, "Latepay Ads", "Google Ads")
    offboarding.record_payments(
        client_id,
        lead,
        False,
        "The accounts are the client's own property; withholding them would not get us paid.",
        now - 38 * day,
    )
    for account in (site, ads):
        offboarding.hand_over(client_id, account.id, lead, now - 37 * day)
    offboarding.save_report(
        client_id,
        lead,
        "SEO retainer: 14 landing pages rewritten, organic traffic up 35 % in six months.",
        "Closing report: Latepay Logistics\n\nPeriod of the collaboration: one year.\n\n"
        "Work done and results\nSEO retainer: 14 landing pages rewritten, organic traffic "
        "up 35 % in six months.\n\nDocumented problems\n- Invoices 2031, 2040 and 2052 were "
        "paid late or not at all.\n- Questions about priorities went unanswered.\n\nOutcome\n"
        "The collaboration ends. Every account we managed is handed over to you.",
        now - 36 * day,
    )
    offboarding.save_reason(
        client_id,
        lead,
        "We cannot meet your needs because you did not pay our invoices on the agreed dates.",
        now - 36 * day,
    )
    offboarding.set_final_status(client_id, lead, "ended_unpaid", now - 36 * day)
    offboarding.complete_kit(client_id, lead, now - 35 * day)
