from django.urls import path

from dosewise.audit import views

app_name = "audit"

urlpatterns = [
    path("admin/audit/", views.audit_report, name="audit_report"),
]
