"""Forms of the medication pages; the services validate the clinical rules."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from dosewise.clinical.kb import load_kb
from dosewise.clinical.plans.rounding import TAPERING_FILE
from dosewise.lib.forms import DateInput
from dosewise.medications.models import DosageForm, MedicationSource, OverrideReason, PlanKind, StopReason


def _override_fields() -> dict[str, forms.Field]:
    """Return the override fields an order or a dose change carries."""
    return {
        "override_reason_code": forms.ChoiceField(
            label="Override reason", required=False, choices=[("", "—"), *OverrideReason.choices],
            help_text="Needed to save when a contraindicated or major finding is shown."),
        "override_reason": forms.CharField(
            label="Justification", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
            help_text="In your own words, at least 20 characters: what you weighed and what you arranged."),
        "confirm_high_dose": forms.BooleanField(
            label="I confirm this dose, which is more than twice the labelled maximum", required=False),
    }


def _live_check(url: str, trigger: str = "input changed delay:300ms") -> dict[str, str]:
    """Return the htmx attributes that re-run the safety check as the prescriber types."""
    return {"hx-post": url, "hx-trigger": trigger, "hx-target": "#safety-check", "hx-include": "closest form",
            "hx-sync": "closest form:queue last"}


class OrderForm(forms.Form):
    source = forms.ChoiceField(label="Medicine is", choices=MedicationSource.choices)
    drug = forms.CharField(label="Drug", max_length=120,
                           help_text="Generic name, brand or synonym (e.g. sertraline, Zoloft).")
    strength_mg = forms.DecimalField(label="Strength (mg)", required=False, min_value=0, max_digits=9,
                                     decimal_places=3)
    dose_form = forms.ChoiceField(label="Dosage form", choices=DosageForm.choices, initial=DosageForm.TABLET,
                                  required=False)
    dose_mg_per_day = forms.DecimalField(label="Dose (mg per day)", required=False, max_digits=9, decimal_places=3,
                                         help_text="As needed: the most that may be taken in 24 hours.")
    frequency = forms.CharField(label="Frequency", max_length=60, required=False,
                                help_text="e.g. once daily in the morning; as needed: e.g. every 6 hours")
    as_needed = forms.BooleanField(label="As needed (PRN)", required=False)
    as_needed_dose_mg = forms.DecimalField(label="Dose each time (mg), as needed", required=False, max_digits=9,
                                           decimal_places=3, min_value=0,
                                           help_text="As-needed orders only; the indication says what for.")
    route = forms.CharField(label="Route", max_length=40, required=False)
    indication = forms.CharField(label="Indication", max_length=200, required=False)
    indication_problem_id = forms.TypedChoiceField(label="Problem treated (from the problem list)", required=False,
                                                   coerce=int, empty_value=None)
    indication_icd10 = forms.CharField(label="ICD-10-CM code", max_length=10, required=False,
                                       help_text="Optional, e.g. F32.1; filled from the problem chosen above.")
    external_prescriber = forms.CharField(label="Prescribed by (outside medicines)", max_length=150, required=False)
    quantity = forms.IntegerField(label="Quantity", required=False, min_value=1, max_value=10000)
    refills = forms.IntegerField(label="Refills", required=False, min_value=0, max_value=99, initial=0)
    days_supply = forms.IntegerField(label="Days' supply", required=False, min_value=1, max_value=365)
    instructions = forms.CharField(label="Instructions for the patient", max_length=500, required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    pdmp_attested = forms.BooleanField(label="I checked the prescription monitoring program (PDMP) today",
                                       required=False)

    def __init__(self, *args, check_url: str, sources: list[str], problems=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_override_fields())
        self.fields["indication_problem_id"].choices = [("", "None chosen"),
                                                        *((p.pk, f"{p.code} {p.description}") for p in problems)]
        self.fields["source"].choices = [(k, v) for k, v in MedicationSource.choices if k in sources]
        for name in ("drug", "dose_mg_per_day", "refills"):
            self.fields[name].widget.attrs.update(_live_check(check_url))
        self.fields["source"].widget.attrs.update(_live_check(check_url, "change"))
        self.fields["drug"].widget.attrs.update({"list": "formulary-names", "autocomplete": "off"})

    def clean_refills(self):
        return self.cleaned_data.get("refills") or 0

    def clean_dose_form(self):
        return self.cleaned_data.get("dose_form") or DosageForm.TABLET


class DoseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    dose_mg_per_day = forms.DecimalField(label="New dose (mg per day)", max_digits=9, decimal_places=3)
    frequency = forms.CharField(label="Frequency", max_length=60, required=False)
    reason = forms.CharField(label="Why the dose changes", max_length=300)
    effective_date = forms.DateField(label="New dose taken from", required=False, widget=DateInput,
                                     help_text="The day the patient started the new dose; today if left empty. "
                                               "Due monitoring counts from this day.")

    def __init__(self, *args, check_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_override_fields())
        self.fields["dose_mg_per_day"].widget.attrs.update(_live_check(check_url))


STATUS_ACTIONS = (("hold", "Put on hold"), ("resume", "Resume"), ("discontinue", "Discontinue"))


class StatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(label="Action", choices=STATUS_ACTIONS)
    reason = forms.ChoiceField(label="Reason for stopping", choices=[("", "—")] + StopReason.choices, required=False)
    note = forms.CharField(label="Note", max_length=300, required=False,
                           help_text="Required to hold, or when the reason is 'Other'.")
    effective_date = forms.DateField(label="Took effect on", required=False, widget=DateInput,
                                     help_text="The day it was held, resumed or stopped; today if left empty.")


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label="Plan", choices=PlanKind.choices)
    medication = forms.TypedChoiceField(label="Medicine to taper or switch from", coerce=int, required=False,
                                        empty_value=None)
    drug = forms.CharField(label="Drug to titrate or switch to", max_length=120, required=False)
    target_mg = forms.DecimalField(label="Target dose (mg per day)", required=False, min_value=0, max_digits=9,
                                   decimal_places=3, help_text="Titration: default from the label; taper: default 0.")
    interval_days = forms.IntegerField(label="Days between steps", required=False, min_value=1, max_value=90,
                                       help_text="Empty: the default of the model chosen (shown in the preview).")
    taper_model = forms.ChoiceField(label="Taper model", required=False, initial="percentage", choices=(
        ("percentage", "Percentage of the current dose (steps shrink as the dose falls)"),
        ("hyperbolic", "Hyperbolic by receptor occupancy (citalopram, sertraline, venlafaxine)")))
    percent = forms.DecimalField(label="Step (percent of the current dose)", required=False, min_value=0,
                                 max_digits=5, decimal_places=2)
    step_points = forms.DecimalField(label="Step (occupancy points, hyperbolic)", required=False, min_value=0,
                                     max_digits=5, decimal_places=2)
    method = forms.ChoiceField(label="Switch method", choices=(("cross-taper", "Cross-taper"),
                                                               ("direct", "Direct switch")))
    start_date = forms.DateField(label="Start date", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, medications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medication"].choices = [("", "—")] + [(m.pk, f"{m.ingredient} {m.dose_display}")
                                                          for m in medications]
        settings = load_kb().data(TAPERING_FILE)
        percentage, hyperbolic = settings["percentage"], settings["hyperbolic"]
        self.fields["percent"].help_text = (
            f"Empty: {percentage['percent']:g}% every {percentage['interval_days']} days "
            + "".join(f"({', '.join(g['classes'])}: {g['percent']:g}% every {g['interval_days']} days) "
                      for g in percentage["groups"])
            + f"— allowed {percentage['min_percent']:g} to {percentage['max_percent']:g}%.")
        self.fields["step_points"].help_text = (
            f"Empty: {hyperbolic['step_points']:g} points every {hyperbolic['interval_days']} days — allowed "
            f"{hyperbolic['min_step_points']:g} to {hyperbolic['max_step_points']:g}.")


class EquivalenceForm(forms.Form):
    from_drug = forms.CharField(label="From drug", max_length=120, help_text="Generic name or brand, e.g. paroxetine or Paxil.")
    dose_mg = forms.DecimalField(label="Daily dose (mg)", max_digits=9, decimal_places=3)
    to_drug = forms.CharField(label="To drug", max_length=120, help_text="Generic name or brand, e.g. sertraline or Zoloft.")
    table = forms.ChoiceField(label="Table", required=False)

    def __init__(self, *args, tables, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].choices = [("", "First table that covers both drugs"),
                                        *((t.name, f"{t.title} ({t.name})") for t in tables)]


class ProblemForm(forms.Form):
    code = forms.CharField(label="ICD-10-CM code", max_length=10, required=False, widget=forms.HiddenInput,
                           help_text="Chosen from the search results.")
    onset_date = forms.DateField(label="Onset date", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ProblemStatusForm(forms.Form):
    action = forms.ChoiceField(label="Action", choices=[("resolve", "Resolved"),
                                                       ("entered_in_error", "Entered in error")])
    resolved_date = forms.DateField(label="Resolved on", required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}),
                                    help_text="Today when left empty.")
    note = forms.CharField(label="Note", max_length=300, required=False,
                           help_text="Required for an entry made in error: say what was wrong.")


class PlanRevisionForm(forms.Form):
    """Pause, slow down or stop a saved plan from a date (today when empty)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(label="Change", choices=(("pause", "Pause at the current dose"),
                                                        ("slow", "Slow down the remaining steps"),
                                                        ("stop", "Stop the plan at the current dose")))
    effective_date = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                     help_text="Today when left empty.")
    days = forms.IntegerField(label="Pause for (days)", required=False, min_value=1, max_value=180)
    interval_days = forms.IntegerField(label="Days between the remaining steps", required=False, min_value=1,
                                       max_value=180)
    step_size = forms.DecimalField(label="Smaller reduction (taper)", required=False, min_value=Decimal("0.1"),
                                   max_digits=5, decimal_places=2)
    reason = forms.CharField(label="Why", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, step_unit: str = "", current_interval=None, current_step=None, stop_only=False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        if stop_only:
            # A switch is not paused halfway through a cross-taper: stop it and plan again.
            self.fields["action"].choices = [c for c in self.fields["action"].choices if c[0] == "stop"]
            for name in ("days", "interval_days", "step_size"):
                del self.fields[name]
            return
        self.fields["days"].help_text = "For a pause."
        self.fields["interval_days"].help_text = "For a slow-down" + (
            f"; now {current_interval} days." if current_interval else ".")
        if step_unit:
            self.fields["step_size"].label = f"Smaller reduction ({step_unit})"
            self.fields["step_size"].help_text = "For a slow-down" + (
                f"; now {current_step:g}." if current_step is not None else ".")
        else:
            del self.fields["step_size"]

    def clean(self):
        data = super().clean()
        if data.get("action") == "pause" and not data.get("days"):
            self.add_error("days", "Enter how many days to pause.")
        return data


class FollowUpCompleteForm(forms.Form):
    note = forms.CharField(label="What the review found or what you did", max_length=500)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class GenotypeForm(forms.Form):
    gene = forms.CharField(label="Gene", max_length=20, help_text="e.g. CYP2C19, CYP2D6, HLA-B.")
    diplotype = forms.CharField(label="Result as reported (diplotype or alleles)", max_length=60,
                                help_text="e.g. *1/*2 for CYP2C19, *15:02/*07:02 for HLA-B.")
    lab = forms.CharField(label="Laboratory", max_length=150)
    result_date = forms.DateField(label="Result date", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="Note", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gene"].widget.attrs.update({"list": "pgx-genes", "autocomplete": "off"})


class GenotypeErrorForm(forms.Form):
    reason = forms.CharField(label="Why it was entered in error", max_length=200)


class FaxForm(forms.Form):
    fax_number = forms.CharField(
        label="Pharmacy fax number", max_length=30,
        help_text="US or Canadian number with area code, e.g. 312-555-0142. Check it with the pharmacy.",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))


class OverrideResolveForm(forms.Form):
    note = forms.CharField(label="Why it is resolved", max_length=500,
                           help_text="e.g. combination ended after the cross-taper; level back in range.")


class OverrideReviewForm(forms.Form):
    note = forms.CharField(label="Review note", max_length=500,
                           help_text="What the review found, e.g. justified, monitoring in place.")
