from django.urls import path

from dosewise.visits import views

app_name = "visits"

_NOTE = "visits/patients/<int:patient_id>/notes/<int:note_id>/"

urlpatterns = [
    path("visits/patients/<int:patient_id>/notes/", views.note_start, name="note_start"),
    path(_NOTE, views.note_detail, name="note_detail"),
    path(_NOTE + "save/", views.note_save, name="note_save"),
    path(_NOTE + "sign/", views.note_sign, name="note_sign"),
    path(_NOTE + "refresh/", views.note_refresh, name="note_refresh"),
    path(_NOTE + "discard/", views.note_discard, name="note_discard"),
    path(_NOTE + "addenda/", views.addendum_create, name="addendum_create"),
    path(_NOTE + "cosign/", views.note_cosign, name="note_cosign"),
    path(_NOTE + "pdf/", views.note_pdf, name="note_pdf"),
    path(_NOTE + "send/", views.letter_send, name="letter_send"),
    path(_NOTE + "diagnoses/", views.diagnosis_add, name="diagnosis_add"),
    path("visits/patients/<int:patient_id>/trials/", views.trial_create, name="trial_create"),
    path("visits/patients/<int:patient_id>/trials/new/", views.trial_new, name="trial_new"),
    path("visits/patients/<int:patient_id>/trials/<int:trial_id>/entered-in-error/", views.trial_entered_in_error,
         name="trial_entered_in_error"),
    path("visits/patients/<int:patient_id>/decision/", views.decision_aid, name="decision_aid"),
    path("visits/patients/<int:patient_id>/decision/record/", views.decision_record, name="decision_record"),
    path("visits/templates/", views.templates, name="templates"),
]
