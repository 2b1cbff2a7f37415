"""Forms of the visits pages: they parse input; the services judge it."""

from __future__ import annotations

from django import forms

from dosewise.lib.forms import DateInput
from dosewise.visits.models import LetterChannel, NoteKind, TrialAdherence, TrialResponse
from dosewise.visits.services import DraftChanges


class NoteStartForm(forms.Form):
    template = forms.ChoiceField(label="Kind of note")
    visit_date = forms.DateField(label="Date of the visit", widget=DateInput, required=False,
                                 help_text="Today unless you are writing up an earlier visit.")
    recipient = forms.ChoiceField(label="Letter to (care-team member)", required=False,
                                  help_text="Only for a letter.")

    def __init__(self, *args, templates=(), recipients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(t.pk, t.name + ("" if t.clinic_id is None else " (this clinic)"))
                                           for t in templates]
        self.fields["recipient"].choices = [("", "-")] + [
            (m.pk, f"{m.member.display_name} ({m.get_team_role_display()})") for m in recipients]


class NoteEditForm(forms.Form):
    """The draft's sections, review marks, sensitivity, co-signer and follow-up interval."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    editor = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)
    sensitive = forms.BooleanField(
        label="Sensitive note: restrict it to the clinicians who need it (psychotherapy-note style)", required=False,
        help_text="Nurses and anyone using emergency access will see only that a restricted note exists.")
    supervisor = forms.ChoiceField(label="Ask a supervising prescriber to co-sign", required=False)
    follow_up_weeks = forms.IntegerField(label="Follow up in (weeks)", required=False, min_value=1, max_value=52,
                                         widget=forms.NumberInput(attrs={"inputmode": "numeric"}))

    def __init__(self, *args, note, supervisors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.note = note
        self.fields["supervisor"].choices = [("", "No co-signature")] + [
            (u.pk, u.display_name) for u in supervisors]
        for section in note.template.sections:
            key = section["key"]
            self.fields[f"section_{key}"] = forms.CharField(
                label=section["label"], required=False, help_text=section.get("help", ""),
                widget=forms.Textarea(attrs={"rows": 4, "maxlength": 20000}))
            if section.get("review"):
                self.fields[f"reviewed_{key}"] = forms.BooleanField(label=f"Reviewed: {section['label']}",
                                                                    required=False)
        if note.kind == NoteKind.LETTER:
            del self.fields["sensitive"]

    def section_fields(self) -> list[tuple]:
        """Return (text field, review field or None) per section, in the template's order."""
        return [(self[f"section_{s['key']}"], self[f"reviewed_{s['key']}"] if s.get("review") else None)
                for s in self.note.template.sections]

    def changes(self) -> DraftChanges:
        data = self.cleaned_data
        keys = [s["key"] for s in self.note.template.sections]
        return DraftChanges(
            sections={key: data.get(f"section_{key}", "") for key in keys},
            reviewed=[key for key in keys if data.get(f"reviewed_{key}")],
            sensitive=bool(data.get("sensitive")),
            supervisor_id=int(data["supervisor"]) if data.get("supervisor") else None,
            follow_up_weeks=data.get("follow_up_weeks"),
            editor=data.get("editor", ""),
        )


class SignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    editor = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)


class AddendumForm(forms.Form):
    text = forms.CharField(label="Addendum", widget=forms.Textarea(attrs={"rows": 4, "maxlength": 10000}),
                           help_text="Added below the signed note with your name and the time; the note itself "
                                     "does not change.")


class CosignForm(forms.Form):
    comment = forms.CharField(label="Comment (optional)", required=False, max_length=500)


class LetterSendForm(forms.Form):
    channel = forms.ChoiceField(label="Send by", choices=LetterChannel.choices, widget=forms.RadioSelect)
    fax_number = forms.CharField(label="Fax number", required=False, max_length=30,
                                 help_text="Ten digits, e.g. 312-555-0142; only for a fax.",
                                 widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))


class TrialForm(forms.Form):
    drug = forms.CharField(label="Medicine", max_length=120)
    max_dose_mg_per_day = forms.CharField(label="Highest dose (mg/day)", required=False, max_length=20,
                                          widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    weeks = forms.IntegerField(label="Weeks taken", required=False, min_value=0, max_value=2080)
    weeks_at_max_dose = forms.IntegerField(label="Weeks at the highest dose", required=False, min_value=0,
                                           max_value=2080)
    adherence = forms.ChoiceField(label="Adherence", choices=TrialAdherence.choices, initial=TrialAdherence.UNKNOWN)
    response = forms.ChoiceField(label="Response", choices=TrialResponse.choices, initial=TrialResponse.UNKNOWN)
    side_effects = forms.CharField(label="Side effects", required=False, max_length=300)
    stop_reason = forms.CharField(label="Reason stopped", required=False, max_length=300)
    current_episode = forms.BooleanField(label="In the current episode", required=False, initial=True)
    started_on = forms.DateField(label="Started", required=False, widget=DateInput)
    medication_id = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EnteredInErrorForm(forms.Form):
    reason = forms.CharField(label="Why is this wrong?", max_length=200)


class DiagnosisForm(forms.Form):
    code = forms.CharField(label="ICD-10-CM code", max_length=10, help_text="e.g. F33.1")
    onset_date = forms.DateField(label="Onset", required=False, widget=DateInput)


class TemplateForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120)
    kind = forms.ChoiceField(label="Kind of note", choices=NoteKind.choices)
    description = forms.CharField(label="Description", required=False, max_length=300)
    sections = forms.CharField(label="Sections, one per line", widget=forms.Textarea(attrs={"rows": 6}))
