"""How a prescription leaves the clinic: one transmitter interface, chosen by a setting.

`PrintTransmitter` renders the printable prescription (page and PDF) the prescriber signs
and hands over. `FaxTransmitter` sends the PDF to a pharmacy's fax number through an
e-mail-to-fax gateway, by way of the notifications outbox. A certified e-prescribing vendor
plugs in as another `PrescriptionTransmitter`: see docs/e-prescribing.md. The setting
`DOSEWISE_PRESCRIPTION_TRANSMITTER` names the default class (dotted path); printing is the
default. Every adapter first asks `prescription_refusal` whether the prescription may leave.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.module_loading import import_string

from dosewise.clinics.clock import clinic_today
from dosewise.lib.identifiers import format_fax, mask_fax, nanp_fax_validate
from dosewise.lib.pdf import PDF_MIMETYPE, html_to_pdf
from dosewise.medications.directions import directions
from dosewise.medications.models import COUNTED_FORMS, Medication

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


def prescription_refusal(prescription: Medication) -> str:
    """Return why this prescription may not be printed or sent, or "" when it may.

    A controlled-substance prescription must carry the prescriber's DEA registration number
    (21 CFR 1306.05(a)); without one on file it is refused, with what to do about it.
    """
    prescriber = prescription.prescriber
    if prescription.controlled_schedule and not (prescriber and prescriber.dea_number):
        who = prescriber.full_name if prescriber else "the prescriber"
        return (f"{prescription.ingredient} is a schedule {prescription.controlled_schedule} controlled substance: its "
                f"prescription must carry the prescriber's DEA registration number (21 CFR 1306.05(a)), and none is "
                f"on file for {who}. Add it on the \"DEA & NPI\" page (the prescriber or a clinic admin can), "
                "then print or send the prescription again.")
    return ""


def prescriber_numbers_url(prescription: Medication) -> str:
    """Return the page where the prescriber's DEA number and NPI are entered."""
    return reverse("accounts:prescriber_numbers", kwargs={"user_id": prescription.prescriber_id})


@dataclass(frozen=True)
class TransmissionResult:
    """What happened to one prescription.

    `status` is "ready_to_print", "queued" (handed to the outbox), "sent", "failed" or
    "refused" (the adapter would not send it; `detail` says why and what to do).
    """

    channel: str
    status: str
    detail: str
    document: str = ""
    destination: str = ""  # masked, as shown in lists and the audit trail
    outbox_message_id: int | None = None


class PrescriptionTransmitter(ABC):
    """Send one prescription prescribed here; report the outcome, never raise for a refusal."""

    channel: str

    @abstractmethod
    def send(self, prescription: Medication) -> TransmissionResult:
        """Transmit the prescription and return the outcome."""


def _document_context(prescription: Medication) -> dict:
    quantity = prescription.quantity
    return {
        "rx": prescription, "patient": prescription.patient, "clinic": prescription.clinic,
        "directions": directions(prescription), "counted_forms": list(COUNTED_FORMS),
        "prescriber": prescription.prescriber, "controlled": bool(prescription.controlled_schedule),
        "quantity_words": quantity_in_words(quantity) if quantity is not None and quantity <= 9999 else "",
        "refills_words": quantity_in_words(prescription.refills),
        "written_on": clinic_today(prescription.clinic),
    }


def prescription_filename(prescription: Medication) -> str:
    """Return the PDF's file name: the order number and the date, never the patient's name."""
    return f"prescription-{prescription.pk}-{clinic_today(prescription.clinic):%Y-%m-%d}.pdf"


class PrintTransmitter(PrescriptionTransmitter):
    """Render the printable prescription for the prescriber to sign: a page, or the same content as PDF."""

    channel = "print"

    def render(self, prescription: Medication, *, actions: dict | None = None, request=None) -> str:
        """Return the prescription as a standalone HTML page with print styles (and, on screen, `actions`)."""
        return render_to_string("medications/prescription.html",
                                {**_document_context(prescription), "actions": actions}, request=request)

    def render_pdf(self, prescription: Medication) -> bytes:
        """Return the prescription as a PDF, from the same body template as the page."""
        return html_to_pdf(render_to_string("medications/document_pdf.html", {
            **_document_context(prescription), "body_template": "medications/_prescription_body.html",
            "pdf_title": f"Prescription {prescription.pk}",
            "pdf_footer": f"{prescription.clinic.name} · prescription {prescription.pk}",
        }))

    def send(self, prescription: Medication) -> TransmissionResult:
        refusal = prescription_refusal(prescription)
        if refusal:
            return TransmissionResult(channel=self.channel, status="refused", detail=refusal)
        return TransmissionResult(channel=self.channel, status="ready_to_print",
                                  detail="Print the prescription, sign it and give it to the patient or pharmacy.",
                                  document=self.render(prescription))


class FaxTransmitter(PrescriptionTransmitter):
    """Fax the prescription PDF to a pharmacy through an e-mail-to-fax gateway, via the outbox.

    `DOSEWISE_FAX_EMAIL_GATEWAY` is the gateway's address with `{number}` where the ten-digit
    fax number goes (e.g. "{number}@fax.example.net"). The message waits in the outbox, so a
    gateway outage shows as a failed, retried message instead of a lost fax.
    """

    channel = "fax"

    def __init__(self, fax_number: str):
        self.number = nanp_fax_validate(fax_number)

    @property
    def destination(self) -> str:
        return f"fax {mask_fax(self.number)}"

    @staticmethod
    def gateway() -> str:
        return getattr(settings, "DOSEWISE_FAX_EMAIL_GATEWAY", "")

    @classmethod
    def refusal(cls, prescription: Medication) -> str:
        """Return why this prescription cannot be faxed from here, or "" when it can."""
        if not cls.gateway():
            return ("Faxing is not configured for this installation: an administrator sets "
                    "DOSEWISE_FAX_EMAIL_GATEWAY (see docs/e-prescribing.md). Print the prescription instead.")
        if prescription.controlled_schedule == "II":
            return (f"{prescription.ingredient} is a schedule II controlled substance: the pharmacy needs the "
                    "prescriber's signed paper original before dispensing (21 CFR 1306.11(a)), so it cannot be "
                    "faxed from here. Print it, sign it and give it to the patient, or send it through an "
                    "EPCS-certified e-prescribing service.")
        return prescription_refusal(prescription)

    def send(self, prescription: Medication) -> TransmissionResult:
        from dosewise.notifications.services import outbox_enqueue_email

        refusal = self.refusal(prescription)
        if refusal:
            return TransmissionResult(channel=self.channel, status="refused", detail=refusal,
                                      destination=self.destination)
        pdf = PrintTransmitter().render_pdf(prescription)
        clinic = prescription.clinic
        prescriber = prescription.prescriber
        # The subject and body become the gateway's cover page: no patient details there.
        message = outbox_enqueue_email(
            to=self.gateway().format(number=self.number), clinic=clinic, purpose="prescription.fax",
            subject=f"Prescription from {clinic.name}",
            body=(f"Prescription from {clinic.name}, prescriber {prescriber.display_name}"
                  f"{f', NPI {prescriber.npi}' if prescriber.npi else ''}.\n"
                  "The prescription follows. If you received this fax in error, call the clinic and destroy it.\n"),
            attachment=(prescription_filename(prescription), pdf, PDF_MIMETYPE))
        return TransmissionResult(channel=self.channel, status="queued", destination=self.destination,
                                  detail=f"Fax to {format_fax(self.number)} queued; its delivery shows on the "
                                         "prescription page.",
                                  outbox_message_id=message.pk)


def prescription_transmitter() -> PrescriptionTransmitter:
    """Return the transmitter the deployment configured (printing unless the setting names another)."""
    return import_string(getattr(settings, "DOSEWISE_PRESCRIPTION_TRANSMITTER", DEFAULT_TRANSMITTER))()
