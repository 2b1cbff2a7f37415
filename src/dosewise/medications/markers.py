"""Medication events as dated markers for the score trajectories.

Tying a change in score to a change in medicine is the point of measurement-based care,
so the Assessments tab draws psychotropic starts, dose changes and stops on the same time
axis as the scores. Non-psychiatric medicines are left off: a statin start next to a
PHQ-9 line is noise, not information.
"""

from __future__ import annotations

from dosewise.assessments.charts import ChartMarker
from dosewise.clinical.kb import load_kb
from dosewise.medications.models import DoseChange, DoseChangeKind, Medication, MedicationStatus
from dosewise.patients.models import Patient

_MARKER_KIND = {DoseChangeKind.START: "start", DoseChangeKind.DOSE: "change", DoseChangeKind.HOLD: "stop",
                DoseChangeKind.RESUME: "start", DoseChangeKind.DISCONTINUE: "stop"}


def _mg(value) -> str:
    return "" if value is None else f" {value.normalize():f} mg/day"


def medication_markers(patient: Patient) -> list[ChartMarker]:
    """Return the patient's psychotropic starts, dose changes, holds and stops, in two queries.

    A start is dated by the medicine's start date and a stop by its stop date (both may be
    back-dated when recorded from elsewhere); dose changes and holds by when they were made.
    """
    ingredients = load_kb().ingredients
    medicines = {m.pk: m for m in Medication.objects.filter(clinic_id=patient.clinic_id, patient=patient)
                 if (ing := ingredients.get(m.ingredient)) is not None and ing.psychotropic}
    if not medicines:
        return []
    markers = []
    for change in DoseChange.objects.filter(medication_id__in=medicines).order_by("effective_date", "changed_at", "pk"):
        medicine = medicines[change.medication_id]
        if change.kind == DoseChangeKind.START:
            day, label = medicine.start_date, f"{medicine.ingredient}{_mg(change.new_dose_mg_per_day)} started"
        elif change.kind == DoseChangeKind.DISCONTINUE and medicine.status == MedicationStatus.DISCONTINUED:
            day, label = medicine.stop_date or change.effective_date, f"{medicine.ingredient} stopped"
        elif change.kind == DoseChangeKind.DOSE:
            day = change.effective_date
            label = f"{medicine.ingredient}{_mg(change.old_dose_mg_per_day)} →{_mg(change.new_dose_mg_per_day)}"
        else:
            day, label = change.effective_date, f"{medicine.ingredient} {DoseChangeKind(change.kind).label.lower()}"
        markers.append(ChartMarker(day, label, _MARKER_KIND[change.kind]))
    return markers
