"""Who may write, sign, co-sign and read which notes: the visits app's access rules in one place.

Every rule starts from the patient access `access_patient` gave (clinic and care team, or
break-glass). On top of it:

- Notes are written and signed by the clinicians of the care team (prescribers, nurses,
  therapists); front desk and clinic admins never see a note.
- A co-signature comes from the prescriber the author named as supervisor, and no one else.
- A sensitive note (psychotherapy-note style: 45 CFR 164.501 keeps such notes apart from the
  rest of the record, and 164.508(a)(2) needs a specific authorisation for most uses) is read
  by its author, its supervisor, and the care team's prescribers and therapists, who treat the
  patient with it; nurses, and anyone using break-glass access, see that a restricted note
  exists (kind, date, author), not what it says. A sensitive note is never sent as a letter.
"""

from __future__ import annotations

from dosewise.clinics.roles import Capability, Role

NOTE_WRITERS = frozenset({Role.PRESCRIBER, Role.NURSE, Role.THERAPIST})
COSIGNERS = frozenset({Role.PRESCRIBER})
SENSITIVE_READERS = frozenset({Role.PRESCRIBER, Role.THERAPIST})
TEMPLATE_EDITORS = frozenset({Role.PRESCRIBER, Role.CLINIC_ADMIN})


def can_read_notes(user, access) -> bool:
    return access.can(Capability.CLINICAL_VIEW) and user.role in NOTE_WRITERS


def can_write_notes(user, access) -> bool:
    return can_read_notes(user, access)


def can_read_content(user, access, note) -> bool:
    """Return whether the user may read what this note says (not only that it exists)."""
    if not can_read_notes(user, access):
        return False
    if not note.sensitive or note.author_id == user.pk or note.supervisor_id == user.pk:
        return True
    return access.via == "care_team" and user.role in SENSITIVE_READERS


def can_edit_history(user, access) -> bool:
    """Treatment history is entered by prescribers and nurses (clinical edit on the care team)."""
    return access.can(Capability.CLINICAL_EDIT)
