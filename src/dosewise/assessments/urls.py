from django.urls import path

from dosewise.assessments import views

app_name = "assessments"

urlpatterns = [
    path("assessments/patients/<int:patient_id>/administer/<slug:questionnaire>/", views.administer,
         name="administer"),
    path("assessments/patients/<int:patient_id>/patient-mode/", views.patient_mode_start, name="patient_mode_start"),
    path("assessments/patients/<int:patient_id>/links/", views.link_create, name="link_create"),
    path("assessments/patients/<int:patient_id>/links/<int:link_id>/reissue/", views.link_reissue,
         name="link_reissue"),
    path("assessments/patients/<int:patient_id>/responses/<int:response_id>/", views.response_detail,
         name="response_detail"),
    path("assessments/patients/<int:patient_id>/responses/<int:response_id>/entered-in-error/",
         views.response_entered_in_error, name="response_entered_in_error"),
    path("assessments/patients/<int:patient_id>/schedules/", views.schedule_save, name="schedule_save"),
    path("assessments/patients/<int:patient_id>/schedules/<int:schedule_id>/stop/", views.schedule_stop,
         name="schedule_stop"),
    path("assessments/tasks/", views.task_list, name="task_list"),
    path("assessments/tasks/<int:task_id>/acknowledge/", views.task_acknowledge, name="task_acknowledge"),
    path("assessments/caseload/", views.caseload, name="caseload"),
    path("q/<str:token>/", views.public_form, name="public_form"),
    path("q/<str:token>/save/", views.public_save, name="public_save"),
]
