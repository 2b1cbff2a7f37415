from django.urls import path

from dosewise.medications import views

app_name = "medications"

urlpatterns = [
    path("medications/patients/<int:patient_id>/new/", views.order, name="order"),
    path("medications/patients/<int:patient_id>/check/", views.order_check, name="order_check"),
    path("medications/patients/<int:patient_id>/<int:medication_id>/dose/", views.dose_change, name="dose_change"),
    path("medications/patients/<int:patient_id>/<int:medication_id>/status/", views.status_change,
         name="status_change"),
    path("medications/patients/<int:patient_id>/<int:medication_id>/prescription/", views.prescription,
         name="prescription"),
    path("medications/patients/<int:patient_id>/<int:medication_id>/prescription.pdf", views.prescription_pdf,
         name="prescription_pdf"),
    path("medications/patients/<int:patient_id>/<int:medication_id>/prescription/fax/", views.prescription_fax,
         name="prescription_fax"),
    path("medications/patients/<int:patient_id>/<int:medication_id>/handout/", views.handout, name="handout"),
    path("medications/patients/<int:patient_id>/<int:medication_id>/handout.pdf", views.handout_pdf,
         name="handout_pdf"),
    path("medications/patients/<int:patient_id>/plans/new/", views.plan_new, name="plan_new"),
    path("medications/patients/<int:patient_id>/plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("medications/patients/<int:patient_id>/plans/<int:plan_id>/revise/", views.plan_revise, name="plan_revise"),
    path("medications/patients/<int:patient_id>/follow-ups/<int:follow_up_id>/complete/", views.follow_up_complete,
         name="follow_up_complete"),
    path("medications/patients/<int:patient_id>/genotypes/new/", views.genotype_add, name="genotype_add"),
    path("medications/patients/<int:patient_id>/genotypes/<int:result_id>/entered-in-error/",
         views.genotype_entered_in_error, name="genotype_entered_in_error"),
    path("medications/patients/<int:patient_id>/plans/<int:plan_id>/calendar.pdf", views.plan_calendar_pdf,
         name="plan_calendar_pdf"),
    path("medications/patients/<int:patient_id>/problems/new/", views.problem_add, name="problem_add"),
    path("medications/patients/<int:patient_id>/problems/<int:problem_id>/status/", views.problem_status,
         name="problem_status"),
    path("medications/icd10/", views.icd10_search_results, name="icd10_search"),
    path("medications/equivalence/", views.equivalence, name="equivalence"),
    path("medications/overrides/", views.override_report, name="override_report"),
    path("medications/overrides/<int:override_id>/review/", views.override_review, name="override_review"),
    path("medications/patients/<int:patient_id>/overrides/<int:override_id>/resolve/", views.override_resolve,
         name="override_resolve"),
]
