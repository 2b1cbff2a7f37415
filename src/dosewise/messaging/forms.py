"""Forms parse the input of the messaging pages; attachments are judged by their content here, so a
bad file is named next to the file field while the words typed are kept."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dosewise.messaging.files import MAX_BYTES, MAX_FILES, file_check
from dosewise.messaging.models import ThreadStatus
from dosewise.messaging.services import MAX_BODY, MAX_SUBJECT, MAX_TARGET_DAYS

# The patient's forms are read in the portal's language; the staff pages keep English (nothing activates
# another language there).
FILES_HELP = format_lazy(gettext_lazy("Optional. Photos (JPEG, PNG, GIF, WebP) or PDF documents, up to {files} "
                                      "files of {mb} MB each."), files=MAX_FILES, mb=MAX_BYTES // 1024 // 1024)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True
    template_name = "django/forms/widgets/file.html"


class AttachmentsField(forms.FileField):
    """Several files in one input; each is checked by its content."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp,application/pdf"})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [u for u in (data if isinstance(data, list | tuple) else [data]) if u]
        if len(uploads) > MAX_FILES:
            raise ValidationError(_("Choose at most %(n)d files.") % {"n": MAX_FILES})
        checked, problems = [], []
        for upload in uploads:
            if upload.size > MAX_BYTES:
                problems.append(_("%(name)s is %(size).1f MB; files can be up to %(mb)d MB. Send a smaller photo or "
                                  "split the document.") % {"name": upload.name, "size": upload.size / 1024 / 1024,
                                                            "mb": MAX_BYTES // 1024 // 1024})
                continue
            try:
                checked.append(file_check(upload.name, upload.read()))
            except ValidationError as exc:
                problems.extend(exc.messages)
        if problems:
            raise ValidationError([*problems, _("Nothing was sent. Choose the files again after fixing this.")])
        return checked


class PatientThreadForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("What is it about?"), max_length=MAX_SUBJECT,
                              help_text=gettext_lazy("A few words, for example: Question about my new medicine."),
                              error_messages={"required": gettext_lazy("Write what your message is about.")})
    body = forms.CharField(label=gettext_lazy("Your message"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 7}),
                           error_messages={"required": gettext_lazy("Write your message.")})
    files = AttachmentsField(label=gettext_lazy("Add photos or documents"), help_text=FILES_HELP)


class PatientReplyForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("Your reply"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": gettext_lazy("Write your reply.")})
    files = AttachmentsField(label=gettext_lazy("Add photos or documents"), help_text=FILES_HELP)


class RefillForm(forms.Form):
    medication = forms.TypedChoiceField(label=gettext_lazy("Which medicine?"), coerce=int, widget=forms.RadioSelect,
                                        error_messages={"required": gettext_lazy("Choose the medicine you need more of.")})
    days_left = forms.IntegerField(label=gettext_lazy("How many days of it do you have left?"), required=False, min_value=0,
                                   max_value=365, help_text=gettext_lazy("Optional. Your best guess is fine."))
    note = forms.CharField(label=gettext_lazy("Anything else we should know?"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=gettext_lazy("Optional. For example, a new pharmacy."))

    def __init__(self, *args, medicines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medication"].choices = [(m.pk, f"{m.ingredient}, {m.dose_display}") for m in medicines]


REPLY_STATUS_CHOICES = (
    (ThreadStatus.WAITING, "Wait for the patient's answer"),
    (ThreadStatus.OPEN, "Keep open for the team"),
    (ThreadStatus.CLOSED, "Close the conversation"),
)


class StaffReplyForm(forms.Form):
    body = forms.CharField(label="Reply to the patient", max_length=MAX_BODY,
                           widget=forms.Textarea(attrs={"rows": 5}), error_messages={"required": "Write your reply."},
                           help_text="The patient reads this in the portal; the e-mail they get says only that a "
                                     "message is waiting.")
    files = AttachmentsField(label="Attach files", help_text=FILES_HELP)
    status = forms.ChoiceField(label="Then", choices=REPLY_STATUS_CHOICES, initial=ThreadStatus.WAITING)


class StaffThreadForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=MAX_SUBJECT)
    body = forms.CharField(label="Message to the patient", max_length=MAX_BODY,
                           widget=forms.Textarea(attrs={"rows": 4}))
    files = AttachmentsField(label="Attach files", help_text=FILES_HELP)


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label="Assigned to", coerce=int, empty_value=None, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "Nobody yet"), *((u.pk, u.display_name) for u in people)]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=ThreadStatus.choices)
    clear_urgent = forms.BooleanField(label="The urgent matter is dealt with: lift the urgent flag", required=False)


class RefillDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect,
                                 choices=(("approved", "Approve the refill"), ("declined", "Decline")))
    note = forms.CharField(label="Note to the patient", required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Needed when you decline: say why and what to do next.")


class SettingsForm(forms.Form):
    response_target_business_days = forms.IntegerField(
        label="Reply to patients' messages within (business days)", min_value=1, max_value=MAX_TARGET_DAYS,
        help_text="Monday to Friday, counted in the clinic's time zone. Shown to patients and on Today.")
