"""How a prescription leaves the clinic: one transmitter interface, chosen by a setting.

`PrintTransmitter` renders the printable prescription the prescriber signs and hands over
(or faxes from the browser's print dialog). A certified e-prescribing vendor plugs in as
another `PrescriptionTransmitter`: see docs/e-prescribing.md. The setting
`DOSEWISE_PRESCRIPTION_TRANSMITTER` names the class (dotted path); printing is the default.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from dosewise.medications.models import Medication

DEFAULT_TRANSMITTER = "dosewise.medications.transmission.PrintTransmitter"

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
         "seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def quantity_in_words(number: int) -> str:
    """Return 0-9999 in English words, as written beside the figure on a controlled-substance prescription.

    Writing the amount in words as well as in figures discourages alteration of a written
    controlled-substance prescription (DEA Diversion Control Division, Pharmacist's Manual,
    2022, advice to prescribers on preventing prescription fraud).
    """
    if not 0 <= number <= 9999:
        raise ValueError(f"quantity must be between 0 and 9999, not {number}")
    if number < 20:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {quantity_in_words(rest)}" if rest else "")
    thousands, rest = divmod(number, 1000)
    return f"{_ONES[thousands]} thousand" + (f" {quantity_in_words(rest)}" if rest else "")


@dataclass(frozen=True)
class TransmissionResult:
    """What happened to one prescription: `status` is "ready_to_print", "sent" or "failed"."""

    channel: str
    status: str
    detail: str
    document: str = ""


class PrescriptionTransmitter(ABC):
    """Send one prescription prescribed here; report the outcome, never raise for a refusal."""

    channel: str

    @abstractmethod
    def send(self, prescription: Medication) -> TransmissionResult:
        """Transmit the prescription and return the outcome."""


class PrintTransmitter(PrescriptionTransmitter):
    """Render the printable prescription page for the prescriber to sign."""

    channel = "print"

    def render(self, prescription: Medication) -> str:
        """Return the prescription as a standalone HTML page with print styles."""
        quantity = prescription.quantity
        return render_to_string("medications/prescription.html", {
            "rx": prescription, "patient": prescription.patient, "clinic": prescription.clinic,
            "controlled": bool(prescription.controlled_schedule),
            "quantity_words": quantity_in_words(quantity) if quantity is not None and quantity <= 9999 else "",
            "refills_words": quantity_in_words(prescription.refills),
            "written_on": timezone.localdate(),
        })

    def send(self, prescription: Medication) -> TransmissionResult:
        return TransmissionResult(channel=self.channel, status="ready_to_print",
                                  detail="Print the prescription, sign it and give it to the patient or pharmacy.",
                                  document=self.render(prescription))


def prescription_transmitter() -> PrescriptionTransmitter:
    """Return the transmitter the deployment configured (printing unless the setting names another)."""
    return import_string(getattr(settings, "DOSEWISE_PRESCRIPTION_TRANSMITTER", DEFAULT_TRANSMITTER))()
