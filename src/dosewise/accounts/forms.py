"""Forms of the accounts pages; the checks of the numbers themselves live in the service."""

from __future__ import annotations

from django import forms


class PrescriberNumbersForm(forms.Form):
    dea_number = forms.CharField(
        label="DEA registration number", max_length=12, required=False,
        help_text="Two letters and seven digits, as on the DEA certificate. Needed to print or fax a prescription "
                  "for a controlled substance.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}))
    npi = forms.CharField(
        label="NPI", max_length=12, required=False, help_text="National Provider Identifier: ten digits.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))
