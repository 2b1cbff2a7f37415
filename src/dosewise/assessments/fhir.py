"""FHIR R4 shapes of stored scores: each response maps to a QuestionnaireResponse and an
Observation of its total (LOINC-coded where the instrument has a verified code)."""

from __future__ import annotations

from typing import Any

from dosewise.assessments.models import QuestionnaireResponse, ResponseSource
from dosewise.clinical.instruments import get_instrument

LOINC = "http://loinc.org"
QUESTIONNAIRE_BASE = "urn:dosewise:questionnaire:"
_SOURCE_IS_PATIENT = {ResponseSource.PATIENT_MODE, ResponseSource.REMOTE}


def _patient_reference(response: QuestionnaireResponse) -> dict[str, str]:
    return {"reference": f"Patient/{response.patient_id}"}


def questionnaire_response_resource(response: QuestionnaireResponse) -> dict[str, Any]:
    """Return the response as a FHIR R4 QuestionnaireResponse (answers as valueCoding)."""
    instrument = get_instrument(response.questionnaire)
    items = []
    for item, value in zip(instrument.items, response.answers, strict=False):
        entry: dict[str, Any] = {"linkId": str(item.number), "text": item.text}
        if value is not None:
            label = next((o.label for o in item.options if o.value == value), str(value))
            entry["answer"] = [{"valueCoding": {"system": f"{QUESTIONNAIRE_BASE}{instrument.key}",
                                                "code": str(value), "display": label}}]
        items.append(entry)
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.pk),
        "questionnaire": f"{QUESTIONNAIRE_BASE}{instrument.key}|{response.questionnaire_version}",
        "status": response.status,
        "subject": _patient_reference(response),
        "authored": response.authored.isoformat(),
        "item": items,
    }
    if response.source in _SOURCE_IS_PATIENT:
        resource["source"] = _patient_reference(response)
    elif response.author_id:
        resource["author"] = {"reference": f"Practitioner/{response.author_id}"}
    if instrument.loinc_panel:
        resource["meta"] = {"tag": [{"system": LOINC, "code": instrument.loinc_panel}]}
    return resource


def observation_resource(response: QuestionnaireResponse) -> dict[str, Any]:
    """Return the total as a FHIR R4 Observation (survey category), derived from the response."""
    instrument = get_instrument(response.questionnaire)
    coding = [{"system": f"{QUESTIONNAIRE_BASE}{instrument.key}", "code": "total",
               "display": f"{instrument.short_name} {instrument.total_label}"}]
    if response.code:
        coding.insert(0, {"system": LOINC, "code": response.code, "display": f"{instrument.short_name} total score"})
    status = {"completed": "final", "entered-in-error": "entered-in-error"}.get(response.status, "preliminary")
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"{response.pk}-total",
        "status": status,
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                  "code": "survey", "display": "Survey"}]}],
        "code": {"coding": coding, "text": f"{instrument.short_name} {instrument.total_label}"},
        "subject": _patient_reference(response),
        "effectiveDateTime": response.authored.isoformat(),
        "valueQuantity": {"value": response.total, "unit": "{score}", "system": "http://unitsofmeasure.org",
                          "code": "{score}"},
        "derivedFrom": [{"reference": f"QuestionnaireResponse/{response.pk}"}],
    }
    if response.severity:
        resource["interpretation"] = [{"text": response.severity}]
    return resource
