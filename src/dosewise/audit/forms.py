"""The audit report's filter form."""

from __future__ import annotations

from django import forms

from dosewise.lib.forms import DateInput


class AuditFilterForm(forms.Form):
    patient = forms.CharField(required=False, max_length=20, label="Patient MRN")
    user = forms.CharField(required=False, max_length=254, label="User e-mail")
    action = forms.CharField(required=False, max_length=60)
    date_from = forms.DateField(required=False, widget=DateInput, label="From")
    date_to = forms.DateField(required=False, widget=DateInput, label="To")

