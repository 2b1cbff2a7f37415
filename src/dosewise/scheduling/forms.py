from __future__ import annotations

from datetime import datetime

from django import forms

from dosewise.clinics.clock import clinic_zone
from dosewise.lib.forms import DateInput
from dosewise.scheduling.models import (
    BookableBy,
    CancelReason,
    ExceptionKind,
    Mode,
    NoShowReason,
    ResourceKind,
    WaitPriority,
)
from dosewise.scheduling.slots import local_instant
from dosewise.scheduling.video import US_STATES

WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday"), (5, "Saturday"),
            (6, "Sunday")]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs={"step": 300, **(attrs or {})}, format="%H:%M")


def _instant(clinic, day, clock, field: str):
    instant = local_instant(day, clock, clinic_zone(clinic))
    if instant is None:
        raise forms.ValidationError({field: f"{clock:%H:%M} does not exist on {day:%d %b %Y} (the clocks go "
                                            "forward that night). Choose another time."})
    return instant


class _WhenForm(forms.Form):
    date = forms.DateField(label="Date", widget=DateInput)
    time = forms.TimeField(label="Start time", widget=TimeInput)

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            data["starts_at"] = _instant(self.clinic, data["date"], data["time"], "time")
        return data


class BookForm(_WhenForm):
    provider = forms.TypedChoiceField(label="Clinician", coerce=int)
    kind = forms.TypedChoiceField(label="Appointment type", coerce=int)
    reason = forms.CharField(label="Reason for the visit (staff only)", max_length=200, required=False)
    outside_hours = forms.BooleanField(label="Book outside working hours (agreed with the clinician)",
                                       required=False)
    repeat_weeks = forms.TypedChoiceField(
        label="Repeat", coerce=int, initial=0, required=False, empty_value=0,
        choices=[(0, "Does not repeat")] + [(n, f"Every {n} week{'s' if n > 1 else ''}, same weekday and time")
                                            for n in (1, 2, 3, 4, 6, 8, 12)])
    repeat_count = forms.IntegerField(label="Number of visits in the series", min_value=2, max_value=26,
                                      required=False, help_text="Each visit is its own appointment: moving or "
                                                                "cancelling one leaves the others as they are.")

    def __init__(self, *args, providers, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(p.pk, p.display_name) for p in providers]
        self.fields["kind"].choices = [(k.pk, f"{k.name} ({k.duration_minutes} min, {k.get_mode_display().lower()})")
                                       for k in kinds]
        self.providers = {p.pk: p for p in providers}
        self.kinds = {k.pk: k for k in kinds}

    def clean(self):
        data = super().clean()
        if data.get("repeat_weeks") and not data.get("repeat_count"):
            self.add_error("repeat_count", "Say how many visits the series has (2 to 26).")
        data["provider_obj"] = self.providers.get(data.get("provider"))
        data["kind_obj"] = self.kinds.get(data.get("kind"))
        return data


class RescheduleForm(_WhenForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outside_hours = forms.BooleanField(label="Outside working hours (agreed with the clinician)", required=False)


class CancelForm(forms.Form):
    reason = forms.ChoiceField(label="Why is it cancelled?", choices=[("", "Choose…")] + CancelReason.choices)
    by_patient = forms.BooleanField(label="The patient cancelled (counts toward late cancellations)",
                                    required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput)


class NoShowForm(forms.Form):
    reason = forms.ChoiceField(label="What is known?", choices=NoShowReason.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=[("arrived", "Arrived"), ("completed", "Completed")])
    version = forms.IntegerField(widget=forms.HiddenInput)


class HoursForm(forms.Form):
    weekday = forms.TypedChoiceField(label="Day", choices=WEEKDAYS, coerce=int)
    start_time = forms.TimeField(label="From", widget=TimeInput)
    end_time = forms.TimeField(label="To", widget=TimeInput)

    def clean(self):
        data = super().clean()
        if data.get("start_time") and data.get("end_time") and data["end_time"] <= data["start_time"]:
            self.add_error("end_time", "The end must be after the start.")
        return data


class ExceptionForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=ExceptionKind.choices)
    start_date = forms.DateField(label="From day", widget=DateInput)
    start_time = forms.TimeField(label="From time", widget=TimeInput, required=False,
                                 help_text="Leave the times empty for whole days.")
    end_date = forms.DateField(label="To day", widget=DateInput)
    end_time = forms.TimeField(label="To time", widget=TimeInput, required=False)
    note = forms.CharField(label="Note (no patient information)", max_length=120, required=False)

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic

    def clean(self):
        from datetime import time, timedelta

        data = super().clean()
        if self.errors:
            return data
        start = _instant(self.clinic, data["start_date"], data.get("start_time") or time(0), "start_time")
        if data.get("end_time"):
            end = _instant(self.clinic, data["end_date"], data["end_time"], "end_time")
        else:
            end = _instant(self.clinic, data["end_date"] + timedelta(days=1), time(0), "end_date")
        if end <= start:
            self.add_error("end_date", "The end must be after the start.")
        data["starts_at"], data["ends_at"] = start, end
        return data


class ResourceForm(forms.Form):
    name = forms.CharField(label="Name", max_length=80)
    kind = forms.ChoiceField(label="Kind", choices=ResourceKind.choices)


def _offsets(value: str) -> list[int]:
    out = []
    for part in value.replace(";", ",").split(","):
        part = part.strip().lower()
        if not part:
            continue
        try:
            if part.endswith("d"):
                out.append(int(part[:-1]) * 1440)
            elif part.endswith("h"):
                out.append(int(part[:-1]) * 60)
            else:
                out.append(int(part.rstrip("m")))
        except ValueError:
            raise forms.ValidationError(f"{part!r} is not a time before the visit; write e.g. 2d, 2h or 30m.") from None
    if any(o <= 0 or o > 30 * 1440 for o in out):
        raise forms.ValidationError("Each reminder must be between 1 minute and 30 days before the visit.")
    return out


class AppointmentTypeForm(forms.Form):
    name = forms.CharField(label="Name", max_length=80)
    duration_minutes = forms.IntegerField(label="Length (minutes)", min_value=5, max_value=480)
    buffer_minutes = forms.IntegerField(label="Buffer after (minutes)", min_value=0, max_value=240, initial=0)
    mode = forms.ChoiceField(label="Mode", choices=Mode.choices)
    bookable_by = forms.ChoiceField(label="Who may book", choices=BookableBy.choices)
    reminders = forms.CharField(label="Reminders before the visit", initial="2d, 2h", required=False,
                                help_text="Comma-separated, e.g. 2d, 2h, 30m.")
    late_cancel_hours = forms.IntegerField(label="Late cancellation within (hours)", min_value=0, max_value=168,
                                           initial=24)
    is_intake = forms.BooleanField(label="Intake (first visit)", required=False)
    resources = forms.TypedMultipleChoiceField(label="Blocks these resources", coerce=int, required=False,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, resources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resources"].choices = [(r.pk, r.name) for r in resources]

    def clean_reminders(self):
        return _offsets(self.cleaned_data["reminders"])


class WaitlistForm(forms.Form):
    kind = forms.TypedChoiceField(label="Appointment type", coerce=int)
    provider = forms.TypedChoiceField(label="Clinician", coerce=int, required=False, empty_value=None)
    priority = forms.TypedChoiceField(label="Priority", choices=WaitPriority.choices, coerce=int,
                                      initial=WaitPriority.ROUTINE)
    note = forms.CharField(label="Note (e.g. mornings only)", max_length=200, required=False)

    def __init__(self, *args, providers, kinds, any_provider: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.pk, k.name) for k in kinds]
        choices = [(p.pk, p.display_name) for p in providers]
        self.fields["provider"].choices = ([("", "Any clinician")] if any_provider else []) + choices
        self.fields["provider"].required = not any_provider


class VideoCheckInForm(forms.Form):
    location_state = forms.ChoiceField(label="Where are you right now?",
                                       choices=[("", "Choose your state…")] + sorted(US_STATES.items(),
                                                                                     key=lambda kv: kv[1]),
                                       help_text="Clinicians may treat you only where they are licensed.",
                                       error_messages={"required": "Choose the state you are in right now."})
    consent = forms.BooleanField(label="I agree to this visit by secure video", required=False)


def parse_day(value: str | None, default):
    try:
        return datetime.strptime(value or "", "%Y-%m-%d").date()
    except ValueError:
        return default
