from django.urls import path

from dosewise.patients import views

app_name = "patients"

urlpatterns = [
    path("patients/", views.patient_search, name="patient_search"),
    path("patients/new/", views.patient_register, name="patient_register"),
    path("patients/<int:patient_id>/edit/", views.patient_edit, name="patient_edit"),
    path("patients/<int:patient_id>/merge/", views.patient_merge, name="patient_merge"),
    path("patients/<int:patient_id>/break-glass/", views.patient_break_glass, name="patient_break_glass"),
    path("patients/<int:patient_id>/allergies/", views.allergy_add, name="allergy_add"),
    path("patients/<int:patient_id>/allergies/<int:allergy_id>/entered-in-error/", views.allergy_entered_in_error,
         name="allergy_entered_in_error"),
    path("patients/<int:patient_id>/context/", views.context_add, name="context_add"),
    path("patients/<int:patient_id>/care-team/", views.care_team_add, name="care_team_add"),
    path("patients/<int:patient_id>/care-team/<int:membership_id>/end/", views.care_team_end, name="care_team_end"),
    path("patients/<int:patient_id>/consents/", views.consent_add, name="consent_add"),
    path("patients/<int:patient_id>/consents/<int:consent_id>/revoke/", views.consent_revoke, name="consent_revoke"),
    path("admin/break-glass/", views.break_glass_report, name="break_glass_report"),
]
