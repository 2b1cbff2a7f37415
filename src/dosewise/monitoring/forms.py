from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from dosewise.lib.units import ucum_display
from dosewise.monitoring.catalogue import result_tests
from dosewise.monitoring.models import MAX_DAYS_SUPPLY, SIDE_EFFECT_CODES, Severity, SideEffectAction

WORKLIST_KINDS = (("result", "Result"), ("risk", "Risk task"), ("overdue", "Overdue monitoring"),
                  ("side-effect", "High side-effect burden"), ("low-adherence", "Low adherence"),
                  ("not-improving", "Not improving"))


def _test_choices():
    return [(t.key, t.name[:1].upper() + t.name[1:]) for t in result_tests().values()]


def unit_choices():
    """Return the units grouped by test (an optgroup each), the canonical unit first."""
    return [(t.name[:1].upper() + t.name[1:], [(u, ucum_display(u)) for u in t.units]) for t in result_tests().values()]


class ResultForm(forms.Form):
    test = forms.ChoiceField(label="Test", choices=_test_choices)
    value = forms.CharField(label="Result", max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    unit = forms.ChoiceField(label="Unit", choices=unit_choices,
                             widget=forms.Select(attrs={"data-units-follow": "test"}))
    effective_at = forms.DateTimeField(label="Taken at", input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, clinic=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic_zone = ZoneInfo(clinic.timezone) if clinic is not None else timezone.get_current_timezone()
        if not self.is_bound:
            now = timezone.now().astimezone(self.clinic_zone)
            self.initial.setdefault("effective_at", now.strftime("%Y-%m-%dT%H:%M"))

    def clean_effective_at(self):
        # The form shows clinic time; a naive input is read in the clinic's time zone.
        moment = self.cleaned_data["effective_at"]
        return timezone.make_aware(moment.replace(tzinfo=None), self.clinic_zone)


class EnteredInErrorForm(forms.Form):
    reason = forms.CharField(label="Why is this result wrong?", max_length=200)


class AcknowledgeForm(forms.Form):
    kind = forms.ChoiceField(choices=WORKLIST_KINDS)
    object_id = forms.IntegerField(min_value=1)
    patient_id = forms.IntegerField(min_value=1)
    note = forms.CharField(label="What you did", max_length=500)
    scope = forms.ChoiceField(choices=(("mine", "mine"), ("clinic", "clinic")), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="File of results (CSV or FHIR JSON)")


class FillImportForm(forms.Form):
    file = forms.FileField(label="File of pharmacy fills (CSV)")


class SideEffectForm(forms.Form):
    code = forms.ChoiceField(label="Side effect", choices=SIDE_EFFECT_CODES)
    effect = forms.CharField(label="In the patient's words", max_length=300, required=False)
    suspected = forms.TypedMultipleChoiceField(label="Suspected medicines", coerce=int, required=False,
                                               choices=())
    severity = forms.ChoiceField(label="Severity", choices=Severity.choices)
    burden = forms.IntegerField(label="Burden on daily life (0-10)", min_value=0, max_value=10)
    action = forms.ChoiceField(label="Action taken", choices=SideEffectAction.choices)
    noted_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, medicines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suspected"].choices = [(m.pk, m.ingredient) for m in medicines]


class PharmacyFillForm(forms.Form):
    medication_id = forms.TypedChoiceField(label="Medicine", coerce=int, choices=())
    filled_on = forms.DateField(label="Fill date", widget=forms.DateInput(attrs={"type": "date"}))
    days_supply = forms.IntegerField(label="Days' supply", min_value=1, max_value=MAX_DAYS_SUPPLY)

    def __init__(self, *args, medicines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medication_id"].choices = [(m.pk, m.ingredient) for m in medicines]
