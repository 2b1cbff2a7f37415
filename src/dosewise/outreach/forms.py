"""Forms of outreach: the public request form (with its honeypot), the queue's actions and the
consent wording the clinic admin edits."""

from __future__ import annotations

from django import forms

from dosewise.lib.forms import DateInput
from dosewise.notifications.models import Channel
from dosewise.notifications.sms import SmsError, e164
from dosewise.outreach.models import PreferredChannel, RequestStatus
from dosewise.patients.models import SexAtBirth

US_STATES = [("", "Prefer not to say")] + [(code, name) for code, name in (
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"), ("CA", "California"),
    ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"), ("DC", "District of Columbia"),
    ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"), ("ID", "Idaho"), ("IL", "Illinois"),
    ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"),
    ("ME", "Maine"), ("MD", "Maryland"), ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"),
    ("MS", "Mississippi"), ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
    ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
    ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"), ("OR", "Oregon"),
    ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"), ("SD", "South Dakota"),
    ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VT", "Vermont"), ("VA", "Virginia"),
    ("WA", "Washington"), ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"))]
REASON_MAX = 1000
# The largest request body the public form accepts (a full form is well under 4 KB).
MAX_BODY_BYTES = 16_000


class ConsultationRequestForm(forms.Form):
    given_name = forms.CharField(label="First name", max_length=100,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    family_name = forms.CharField(label="Last name", max_length=100,
                                  widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    phone = forms.CharField(label="Mobile phone", max_length=30, required=False,
                            help_text="For example 312 555 0142.",
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    email = forms.EmailField(label="E-mail", max_length=254, required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    preferred_channel = forms.ChoiceField(label="How should we contact you?", choices=PreferredChannel.choices,
                                          widget=forms.RadioSelect, initial=PreferredChannel.PHONE)
    reason = forms.CharField(label="What would you like help with?", max_length=REASON_MAX,
                             help_text=f"A few words are enough; at most {REASON_MAX} characters. Please do not "
                                       "write anything you would not want to say on the phone.",
                             widget=forms.Textarea(attrs={"rows": 4, "maxlength": REASON_MAX}))
    preferred_times = forms.CharField(label="When are good times to reach you?", max_length=200, required=False,
                                      help_text="For example: weekday mornings, or after 5 pm.")
    state = forms.ChoiceField(label="State you live in", choices=US_STATES, required=False,
                              help_text="So that we only text you at allowed hours where you live.")
    sms_consent = forms.BooleanField(label="Yes, send me text messages", required=False,
                                     widget=forms.CheckboxInput(attrs={"aria-describedby": "sms_disclosure"}))
    email_consent = forms.BooleanField(label="Yes, send me e-mails", required=False,
                                       widget=forms.CheckboxInput(attrs={"aria-describedby": "email_disclosure"}))
    # Hidden from people (CSS and aria-hidden); bots fill in every field they find.
    website = forms.CharField(label="Leave this field empty", required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone:
            try:
                e164(phone)
            except SmsError:
                raise forms.ValidationError("Enter a phone number such as 312 555 0142 or +1 312 555 0142.") from None
        return phone

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        phone, email, channel = data.get("phone"), data.get("email"), data.get("preferred_channel")
        if "phone" in data and "email" in data and not phone and not email:
            self.add_error("phone", "Give a phone number or an e-mail address so that we can reach you.")
        if channel in (PreferredChannel.PHONE, PreferredChannel.SMS) and "phone" in data and not phone:
            self.add_error("phone", "Give a phone number, or choose e-mail as the way to contact you.")
        if channel == PreferredChannel.EMAIL and "email" in data and not email:
            self.add_error("email", "Give an e-mail address, or choose another way to contact you.")
        if data.get("sms_consent") and "phone" in data and not phone:
            self.add_error("sms_consent", "Text messages need a mobile phone number above.")
        if data.get("email_consent") and "email" in data and not email:
            self.add_error("email_consent", "E-mails need an e-mail address above.")
        if channel == PreferredChannel.SMS and not data.get("sms_consent"):
            self.add_error("sms_consent", "To be contacted by text message, tick this box (or choose a phone call).")
        if channel == PreferredChannel.EMAIL and not data.get("email_consent"):
            self.add_error("email_consent", "To be contacted by e-mail, tick this box (or choose a phone call).")
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="New status", choices=RequestStatus.choices)
    note = forms.CharField(label="Note", max_length=500, required=False,
                           help_text="E.g. \"left a voicemail\". Required when declining.")


class PhoneConsentForm(forms.Form):
    channel = forms.ChoiceField(label="Channel", choices=Channel.choices)
    agreed = forms.TypedChoiceField(label="The person", coerce=lambda v: v == "yes",
                                    choices=[("yes", "agrees to messages"), ("no", "does not want messages")])
    words = forms.CharField(label="The person's words", max_length=500, required=False,
                            help_text="Write what they said, e.g. \"Yes, you can text me reminders\".")


class ConvertForm(forms.Form):
    legal_given_name = forms.CharField(label="Legal first name", max_length=100)
    legal_family_name = forms.CharField(label="Legal last name", max_length=100)
    preferred_name = forms.CharField(label="Preferred name", max_length=100, required=False)
    date_of_birth = forms.DateField(label="Date of birth", widget=DateInput)
    sex_at_birth = forms.ChoiceField(label="Sex assigned at birth", choices=[("", "Choose one")] + SexAtBirth.choices)
    guardian_name = forms.CharField(label="Parent or guardian's name", max_length=150, required=False,
                                    help_text="Required when the person is under 18.")
    guardian_phone = forms.CharField(label="Parent or guardian's phone", max_length=30, required=False)


class DisclosureForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices, widget=forms.HiddenInput)
    program_name = forms.CharField(label="Program name", max_length=100)
    text = forms.CharField(label="Wording shown beside the checkbox", max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 6}))
