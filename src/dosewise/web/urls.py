from django.urls import path

from dosewise.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("patients/<int:patient_id>/", views.patient_chart, name="patient_chart"),
    path("patients/<int:patient_id>/tab/<slug:tab>/", views.patient_chart, name="patient_chart_tab"),
]
