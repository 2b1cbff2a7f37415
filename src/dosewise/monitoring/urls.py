from django.urls import path

from dosewise.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("monitoring/patients/<int:patient_id>/results/", views.result_create, name="result_create"),
    path("monitoring/patients/<int:patient_id>/results/<int:observation_id>/entered-in-error/",
         views.result_entered_in_error, name="result_entered_in_error"),
    path("monitoring/patients/<int:patient_id>/side-effects/", views.side_effect_create, name="side_effect_create"),
    path("monitoring/patients/<int:patient_id>/pharmacy-fills/", views.pharmacy_fill_create,
         name="pharmacy_fill_create"),
    path("monitoring/worklist/", views.worklist, name="worklist"),
    path("monitoring/worklist/acknowledge/", views.worklist_acknowledge, name="worklist_acknowledge"),
    path("monitoring/labs-to-order/", views.labs_to_order, name="labs_to_order"),
    path("monitoring/labs-to-order/export/", views.labs_to_order_export, name="labs_to_order_export"),
    path("monitoring/imports/", views.import_start, name="import_start"),
    path("monitoring/imports/<int:import_id>/", views.import_detail, name="import_detail"),
    path("monitoring/fill-imports/", views.fill_import_start, name="fill_import_start"),
    path("monitoring/fill-imports/<int:import_id>/", views.fill_import_detail, name="fill_import_detail"),
]
