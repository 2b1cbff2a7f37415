"""Forms of the patients pages: they parse and check input; services apply the rules and write."""

from __future__ import annotations

from django import forms

from dosewise.lib.forms import DateInput, ListedModelChoiceField, RenderedOnceWhenEmpty
from dosewise.patients.models import (
    AllergyCategory,
    AllergySeverity,
    CareTeamRole,
    ConsentKind,
    ConsentMethod,
    ContextKind,
    Patient,
)
from dosewise.patients.services import DEMOGRAPHIC_FIELDS


class PatientForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Patient
        fields = DEMOGRAPHIC_FIELDS
        widgets = {"date_of_birth": DateInput(format="%Y-%m-%d")}
        help_texts = {
            "preferred_name": "The name the patient wants to be called, if not the legal first name.",
            "pronouns": "e.g. she/her, he/him, they/them",
        }

    def __init__(self, *args, prescribers=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("email", "phone"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        if prescribers is not None:
            self.fields["prescriber"] = ListedModelChoiceField(
                queryset=None, required=False, label="Prescriber",
                help_text="Joins the care team. Leave empty to add one later.")
            self.fields["prescriber"].queryset = prescribers
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["guardian_name"].help_text = "Required for a patient under 18: a parent or legal guardian."

    SECTIONS = (
        ("Patient", ("legal_given_name", "legal_family_name", "preferred_name", "pronouns", "date_of_birth",
                     "sex_at_birth", "gender_identity", "preferred_language", "prescriber")),
        ("Contact", ("email", "phone", "address")),
        ("Emergency contact", ("emergency_contact_name", "emergency_contact_relationship", "emergency_contact_phone")),
        ("Parent or guardian", ("guardian_name", "guardian_relationship", "guardian_phone", "guardian_email")),
        ("Insurance", ("insurance_payer", "insurance_member_id", "insurance_group_number", "insurance_subscriber")),
    )

    def sections(self):
        """The visible fields grouped as the form shows them (a fieldset each)."""
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in self.SECTIONS]


class AllergyForm(RenderedOnceWhenEmpty, forms.Form):
    substance = forms.CharField(max_length=120)
    category = forms.ChoiceField(choices=AllergyCategory.choices)
    reaction = forms.CharField(max_length=200, required=False)
    severity = forms.ChoiceField(choices=AllergySeverity.choices)
    verified = forms.BooleanField(required=False, label="Verified (confirmed reaction)")


class EnteredInErrorForm(forms.Form):
    reason = forms.CharField(max_length=200)


class ContextForm(RenderedOnceWhenEmpty, forms.Form):
    kind = forms.ChoiceField(choices=ContextKind.choices, label="What")
    value = forms.CharField(max_length=20, help_text="A number (height cm, weight kg, eGFR, QTc ms) or a status.")
    effective_date = forms.DateField(widget=DateInput, label="Date")
    note = forms.CharField(max_length=200, required=False)


class CareTeamForm(RenderedOnceWhenEmpty, forms.Form):
    member = ListedModelChoiceField(queryset=None)
    team_role = forms.ChoiceField(choices=CareTeamRole.choices, label="Role on the team")

    def __init__(self, *args, colleagues=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = colleagues

    def render_key(self) -> tuple:
        # The colleagues offered, as the select shows them (a rename or a new colleague is a new key).
        return tuple((str(value), str(label)) for value, label in self.fields["member"].choices)


class ConsentForm(RenderedOnceWhenEmpty, forms.Form):
    kind = forms.ChoiceField(choices=ConsentKind.choices)
    method = forms.ChoiceField(choices=ConsentMethod.choices, label="How it was given")


class RevokeConsentForm(forms.Form):
    method = forms.ChoiceField(choices=ConsentMethod.choices, label="How it was revoked")


class BreakGlassForm(forms.Form):
    reason = forms.CharField(max_length=500, min_length=10, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Why you need this record now. Your access is logged and reviewed.")


class MergeForm(forms.Form):
    other_mrn = forms.CharField(label="MRN of the duplicate record", max_length=20,
                                help_text="The duplicate's records move to this chart; its MRN then leads here.")
    reason = forms.CharField(label="Why these are the same person", max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
