"""Events other apps announce so that a higher floor can notify the patient without being imported.

`patient_message_posted` is sent (with `patient=`) when the care team writes to a patient;
the portal answers with a push alert when the patient asked for one. Senders name no
content: the receiver decides what, if anything, leaves the system.
"""

from __future__ import annotations

from django.dispatch import Signal

patient_message_posted = Signal()
