"""Reading the entries a lead ticked on the open-review form (the checkboxes come from
templates/_partials/attach_incidents_field.html). Anything that is not a whole number is
dropped here; the service checks that every id is one of the client's entries."""

from __future__ import annotations

MAX_ATTACHED = 200


def chosen_incident_ids(form) -> list[int]:
    values = form.getlist("incident_ids")[:MAX_ATTACHED]
    return sorted({int(v) for v in values if v.isdigit() and len(v) < 12})
