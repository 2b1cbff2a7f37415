"""Forms of the accounts pages; the checks of the numbers themselves live in the service."""

from __future__ import annotations

from django import forms

from dosewise.clinics.roles import STAFF_ROLES, Role


class PrescriberNumbersForm(forms.Form):
    dea_number = forms.CharField(
        label="DEA registration number", max_length=12, required=False,
        help_text="Two letters and seven digits, as on the DEA certificate. Needed to print or fax a prescription "
                  "for a controlled substance.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}))
    npi = forms.CharField(
        label="NPI", max_length=12, required=False, help_text="National Provider Identifier: ten digits.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))


class InviteForm(forms.Form):
    full_name = forms.CharField(max_length=150)
    email = forms.EmailField(max_length=254)
    role = forms.ChoiceField(choices=[(r.value, r.label) for r in Role if r in STAFF_ROLES])
    credentials = forms.CharField(max_length=40, required=False)
