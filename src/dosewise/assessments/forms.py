"""Forms parse and check input; services apply the rules and write."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from dosewise.assessments.selectors import CASELOAD_FILTERS, CASELOAD_SORTS, instruments_available
from dosewise.clinical.instruments import Instrument
from dosewise.lib.forms import DateInput


def _instrument_choices(*, self_rated_only: bool = False) -> list[tuple[str, str]]:
    return [(i.key, f"{i.short_name}: {i.name}" if i.short_name != i.name else i.name)
            for i in instruments_available(self_rated_only=self_rated_only)]


class LinkForm(forms.Form):
    questionnaire = forms.ChoiceField(label="Questionnaire")
    send_email = forms.BooleanField(required=False, initial=True,
                                    label="Also e-mail it (needs an e-mail address and e-mail consent)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].choices = _instrument_choices(self_rated_only=True)


class PatientModeForm(forms.Form):
    questionnaire = forms.ChoiceField(label="Questionnaire")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].choices = _instrument_choices(self_rated_only=True)


class ScheduleForm(forms.Form):
    questionnaire = forms.ChoiceField(label="Questionnaire")
    interval_days = forms.IntegerField(min_value=1, max_value=365, initial=14, label="Every (days)")
    then_interval_days = forms.IntegerField(min_value=1, max_value=365, required=False,
                                            label="Then every (days)", help_text="e.g. 28 after acute treatment")
    switch_on = forms.DateField(required=False, widget=DateInput, label="From",
                                help_text="The date the later interval starts")
    # The page fills in the clinic's today (`mbc.today`); the form only parses what comes back.
    first_due = forms.DateField(required=False, widget=DateInput, label="First due")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].choices = _instrument_choices(self_rated_only=True)


class EnteredInErrorForm(forms.Form):
    reason = forms.CharField(max_length=200)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(max_length=500, label="What you did",
                           widget=forms.TextInput(attrs={"placeholder": "e.g. Called patient, safety plan reviewed"}))


class CaseloadForm(forms.Form):
    scope = forms.ChoiceField(choices=[("mine", "My patients"), ("clinic", "Whole clinic")], required=False)
    instrument = forms.ChoiceField(required=False, label="Measure")
    status = forms.ChoiceField(choices=list(CASELOAD_FILTERS.items()), required=False, label="Show")
    sort = forms.ChoiceField(choices=[(k, k) for k in CASELOAD_SORTS], required=False, widget=forms.HiddenInput)

    def __init__(self, *args, scopes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [c for c in self.fields["scope"].choices if c[0] in scopes]
        self.fields["instrument"].choices = [(i.key, i.short_name) for i in instruments_available()
                                             if i.outcomes is not None or i.has_severity]

    def value(self, name: str, default: str) -> str:
        if self.is_valid():
            return self.cleaned_data.get(name) or default
        return default


@dataclass(frozen=True)
class OptionRow:
    value: int
    label: str
    checked: bool
    input_id: str


@dataclass(frozen=True)
class ItemRow:
    number: int
    text: str
    options: list[OptionRow]
    conditional: bool
    name: str


def item_rows(instrument: Instrument, chosen: dict[int, int]) -> list[ItemRow]:
    """Return the items of a questionnaire with the options already chosen marked."""
    rows = []
    for item in instrument.items:
        name = f"item_{item.number}"
        rows.append(ItemRow(
            number=item.number, text=item.text, conditional=item.ask_if is not None, name=name,
            options=[OptionRow(o.value, o.label, chosen.get(item.number) == o.value, f"{name}_{o.value}")
                     for o in item.options],
        ))
    return rows


def chosen_from_post(data) -> dict[int, int]:
    """Return {item number: value} for the well-formed item answers of a posted form."""
    chosen = {}
    for key, value in data.items():
        if key.startswith("item_") and key[5:].isdigit():
            try:
                chosen[int(key[5:])] = int(value)
            except (TypeError, ValueError):
                continue
    return chosen


def chosen_from_saved(saved: dict) -> dict[int, int]:
    return {int(k): v for k, v in saved.items() if str(k).isdigit() and isinstance(v, int)}
