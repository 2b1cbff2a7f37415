"""Forms parse the portal's input; the services apply the rules and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dosewise.monitoring.models import SIDE_EFFECT_CODES, Severity
from dosewise.portal.models import DoseStatus, MissedReason, ProxyConsentBy, ProxyRelationship, ProxyScope

SEVERITY_CHOICES = (
    (Severity.MILD, _("Mild: I notice it, but it does not get in my way")),
    (Severity.MODERATE, _("Moderate: it gets in the way of some things I do")),
    (Severity.SEVERE, _("Severe: I cannot do my usual things")),
)


class InviteForm(forms.Form):
    email = forms.EmailField(label="Patient's e-mail address", max_length=254,
                             help_text="The invitation with a link to set a password goes to this address.")


class RevokeForm(forms.Form):
    reason = forms.CharField(label="Why portal access ends", max_length=300, min_length=5)


class DoseLogForm(forms.Form):
    medication = forms.IntegerField(min_value=1)
    day = forms.DateField()
    status = forms.ChoiceField(choices=DoseStatus.choices, error_messages={"required": _("Choose Taken or Missed.")})
    reason = forms.ChoiceField(choices=[("", _("Choose a reason")), *MissedReason.choices], required=False)
    note = forms.CharField(max_length=300, required=False)
    replaces = forms.IntegerField(min_value=1, required=False)


class SideEffectReportForm(forms.Form):
    code = forms.ChoiceField(label=_("What side effect?"), choices=[("", _("Choose one")), *SIDE_EFFECT_CODES],
                             error_messages={"required": _("Choose the side effect from the list.")})
    note = forms.CharField(label=_("Tell us more (needed for “Other”)"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(label=_("How bad is it?"), choices=SEVERITY_CHOICES, widget=forms.RadioSelect,
                                 error_messages={"required": _("Choose how bad it is.")})
    burden = forms.IntegerField(label=_("How much does it get in the way of your day?"), min_value=0, max_value=10,
                                help_text=_("0 means not at all, 10 means it is unbearable."),
                                error_messages={"required": _("Choose a number from 0 to 10."),
                                                "max_value": _("Choose a number from 0 to 10."),
                                                "min_value": _("Choose a number from 0 to 10.")})
    suspected = forms.TypedMultipleChoiceField(label=_("Which medicines might cause it?"), coerce=int, required=False,
                                               widget=forms.CheckboxSelectMultiple,
                                               help_text=_("Leave empty if you are not sure."),
                                               error_messages={"invalid_choice": _("Choose medicines from your "
                                                                                   "current list.")})

    def __init__(self, *args, medicines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["burden"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["suspected"].choices = [(m.pk, m.ingredient) for m in medicines]


class RemindersForm(forms.Form):
    dose_reminder = forms.BooleanField(label=_("Remind me to take my medicines every day"), required=False)
    dose_reminder_time = forms.TimeField(
        label=_("At this time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter a time like 08:30.")})
    message_alerts = forms.BooleanField(label=_("Tell me when my care team sends me a message"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("dose_reminder") and not data.get("dose_reminder_time") and "dose_reminder_time" not in self.errors:
            self.add_error("dose_reminder_time", _("Choose the time of your daily reminder."))
        return data


class MessagesConsentForm(forms.Form):
    """One switch of the texts-and-e-mails page: a channel, a purpose, on or off."""

    channel = forms.ChoiceField(label=_("How"), choices=[("sms", _("Text message")), ("email", _("E-mail"))])
    purpose = forms.ChoiceField(label=_("Which messages"), choices=[
        ("appointment_reminders", _("Appointment reminders")), ("questionnaires", _("Questionnaires")),
        ("care_messages", _("Care messages"))])
    agreed = forms.ChoiceField(label=_("On or off"), choices=[("on", _("Turn on")), ("off", _("Turn off"))])
    disclosure = forms.IntegerField(min_value=1, required=False)


class ProxyGrantForm(forms.Form):
    """Staff record a family member's or helper's access, with the consent behind it."""

    name = forms.CharField(label="Proxy's full name", max_length=150)
    email = forms.EmailField(label="Proxy's own e-mail address", max_length=254,
                             help_text="They sign in with this address; it must not be the patient's.")
    relationship = forms.ChoiceField(label="Relationship to the patient", choices=ProxyRelationship.choices,
                                     widget=forms.RadioSelect)
    relationship_detail = forms.CharField(label="In a word (optional)", max_length=60, required=False,
                                          help_text="e.g. mother, husband, daughter")
    scopes = forms.MultipleChoiceField(label="What the proxy may use", choices=ProxyScope.choices,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text="Questionnaires stay the patient's own: they are self-report scales.",
                                       error_messages={"required": "Choose at least one part of the portal the proxy "
                                                                   "may use."})
    expires_on = forms.DateField(label="Last day the access works", widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text="At most three years; for a minor, the day before their 18th birthday.")
    consent_by = forms.ChoiceField(label="Consent given by", choices=ProxyConsentBy.choices, widget=forms.RadioSelect)
    consent_words = forms.CharField(label="What they said or signed", max_length=500, min_length=10,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text="e.g. “Signed the proxy form today; wants her mother to handle "
                                              "appointments and messages.”")


class ProxyRevokeForm(forms.Form):
    proxy = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    reason = forms.CharField(label="Why the access ends", max_length=300, min_length=5)
