"""Who may use each visits page: one row per route, one column per named person.

Dana (clinic A) has Alice (prescriber) and Theo (therapist) on her care team. Bob and Nina are
clinicians of the same clinic outside it (403, break-glass); front desk and the clinic admin
never see notes (404, as for any record they may not see); Carol of clinic B cannot learn that
Dana exists (404). A draft is its author's alone (Theo gets 404 for Alice's); only the named
supervisor co-signs; only prescribers and nurses send letters and edit the treatment history;
only prescribers record a shared decision (a nurse's role has no prescribing, so 404).
Every POST row also checks that the change happened exactly when access was allowed.
"""

from __future__ import annotations

import pytest

from dosewise.lib.permission_matrix import (
    FORBID,
    GO,
    GONE,
    LOGIN,
    OK,
    ORDER,
    Case,
    assert_case,
    case_id,
    route_names,
    row,
)
from dosewise.medications.models import Problem
from dosewise.visits import services
from dosewise.visits.models import (
    LetterDispatch,
    NoteAddendum,
    NoteCosignature,
    NoteStatus,
    NoteTemplate,
    SharedDecision,
    TreatmentTrial,
    VisitNote,
)
from dosewise.visits.tests.conftest import access_for, signed_follow_up, template

READ = row(LOGIN, FORBID, OK, FORBID, FORBID, OK, GONE, GONE, GONE)
WRITE = row(LOGIN, FORBID, GO, FORBID, FORBID, GO, GONE, GONE, GONE)
AUTHOR = row(LOGIN, FORBID, GO, FORBID, FORBID, GONE, GONE, GONE, GONE)
EDIT = row(LOGIN, FORBID, GO, FORBID, FORBID, GONE, GONE, GONE, GONE)
EDIT_PAGE = row(LOGIN, FORBID, OK, FORBID, FORBID, GONE, GONE, GONE, GONE)
SUPERVISOR = row(LOGIN, FORBID, GO, FORBID, FORBID, FORBID, GONE, GONE, GONE)
TEMPLATES = row(LOGIN, FORBID, OK, OK, FORBID, FORBID, FORBID, OK, OK)
TEMPLATES_WRITE = row(LOGIN, FORBID, GO, GO, FORBID, FORBID, FORBID, GO, GO)


class Ctx:
    """Alice's draft, her signed follow-up, Theo's signed note awaiting Alice's co-signature,
    Alice's signed letter to Theo, and one trial."""

    def __init__(self, people, dana):
        alice, theo = people["prescriber_a"], people["therapist_a"]
        self.dana = dana
        draft = services.note_start(actor=alice, access=access_for(alice, dana), template_id=template("follow-up").pk)
        self.draft = services.note_save(actor=alice, access=access_for(alice, dana), note_id=draft.pk,
                                        expected_version=draft.version, changes=_text("interval_history", "Seen"))
        self.signed = signed_follow_up(dana, alice)
        self.theos = signed_follow_up(dana, theo, supervisor_id=alice.pk)
        access = access_for(alice, dana)
        letter = services.note_start(actor=alice, access=access, template_id=template("letter").pk,
                                     recipient_id=dana.care_team.get(member=theo).pk)
        letter = services.note_save(actor=alice, access=access, note_id=letter.pk, expected_version=letter.version,
                                    changes=_text("reason", "Update"))
        self.letter = services.note_sign(actor=alice, access=access, note_id=letter.pk,
                                         expected_version=letter.version)
        self.trial = services.trial_record(actor=alice, access=access_for(alice, dana, "clinical.edit"),
                                           trial=services.TrialInput(drug="sertraline", max_dose_mg_per_day="100",
                                                                     weeks=8, response="none"))


def _text(key: str, text: str) -> services.DraftChanges:
    return services.DraftChanges(sections={key: text}, reviewed=[], sensitive=False, supervisor_id=None,
                                 follow_up_weeks=None)


def _note(c, name: str) -> dict:
    return {"patient_id": c.dana.pk, "note_id": getattr(c, name).pk}


def _status(c, name: str) -> str:
    return VisitNote.objects.get(pk=getattr(c, name).pk).status


CASES = [
    Case("visits:note_start", "post", WRITE, kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"template": template("brief-check").pk},
         effect=lambda c: VisitNote.objects.filter(kind="brief_check").exists()),
    Case("visits:note_detail", "get", READ, kwargs=lambda c: _note(c, "signed")),
    Case("visits:note_detail", "get", EDIT_PAGE, kwargs=lambda c: _note(c, "draft"), label="draft"),
    Case("visits:note_save", "post", AUTHOR, kwargs=lambda c: _note(c, "draft"),
         data=lambda c: {"version": c.draft.version, "section_interval_history": "Saved text"},
         effect=lambda c: VisitNote.objects.get(pk=c.draft.pk).sections.get("interval_history") == "Saved text"),
    Case("visits:note_sign", "post", AUTHOR, kwargs=lambda c: _note(c, "draft"),
         data=lambda c: {"version": c.draft.version}, effect=lambda c: _status(c, "draft") == NoteStatus.SIGNED),
    Case("visits:note_refresh", "post", AUTHOR, kwargs=lambda c: _note(c, "draft"),
         effect=lambda c: VisitNote.objects.get(pk=c.draft.pk).version > c.draft.version),
    Case("visits:note_discard", "post", AUTHOR, kwargs=lambda c: _note(c, "draft"),
         effect=lambda c: _status(c, "draft") == NoteStatus.DISCARDED),
    Case("visits:addendum_create", "post", WRITE, kwargs=lambda c: _note(c, "signed"),
         data=lambda c: {"text": "Late entry"}, effect=lambda c: NoteAddendum.objects.exists()),
    Case("visits:note_cosign", "post", SUPERVISOR, kwargs=lambda c: _note(c, "theos"),
         effect=lambda c: NoteCosignature.objects.exists()),
    Case("visits:note_pdf", "get", READ, kwargs=lambda c: _note(c, "signed")),
    Case("visits:letter_send", "post", row(LOGIN, FORBID, GO, FORBID, FORBID, FORBID, GONE, GONE, GONE),
         kwargs=lambda c: _note(c, "letter"), data=lambda c: {"channel": "email"},
         effect=lambda c: LetterDispatch.objects.exists()),
    Case("visits:diagnosis_add", "post", EDIT, kwargs=lambda c: _note(c, "signed"), data=lambda c: {"code": "F33.1"},
         effect=lambda c: Problem.objects.filter(code="F33.1").exists()),
    Case("visits:trial_create", "post", row(LOGIN, FORBID, GO, FORBID, FORBID, GONE, GONE, GONE, GONE),
         kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"drug": "escitalopram", "max_dose_mg_per_day": "20", "weeks": "6", "adherence": "good",
                         "response": "partial", "current_episode": "on"},
         effect=lambda c: TreatmentTrial.objects.filter(drug="escitalopram").exists()),
    Case("visits:trial_new", "get", EDIT_PAGE, kwargs=lambda c: {"patient_id": c.dana.pk}),
    Case("visits:trial_entered_in_error", "post", EDIT,
         kwargs=lambda c: {"patient_id": c.dana.pk, "trial_id": c.trial.pk}, data=lambda c: {"reason": "Wrong patient"},
         effect=lambda c: TreatmentTrial.objects.get(pk=c.trial.pk).entered_in_error_at is not None),
    Case("visits:decision_aid", "get", READ, kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"candidate": ["sertraline", "bupropion"], "priority": ["sexual", "effect"]}),
    Case("visits:decision_record", "post", row(LOGIN, FORBID, GO, FORBID, GONE, GONE, GONE, GONE, GONE),
         kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"candidate": ["sertraline", "bupropion"], "priority": ["sexual"], "chosen": "bupropion",
                         "concerns": "Worried about sexual side effects"},
         effect=lambda c: SharedDecision.objects.filter(chosen="bupropion").exists()),
    Case("visits:templates", "get", TEMPLATES),
    Case("visits:templates", "post", TEMPLATES_WRITE, label="add",
         data=lambda c: {"name": "Lithium clinic", "kind": "follow_up", "sections": "Level\nPlan"},
         effect=lambda c: NoteTemplate.objects.filter(name="Lithium clinic").exists()),
]


def test_every_route_has_a_row():
    assert route_names("visits") == {case.route for case in CASES}


@pytest.mark.parametrize("person", ORDER)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_matrix(case: Case, person: str, people, dana, as_user):
    assert_case(case, Ctx(people, dana), as_user(people[person]), person)
