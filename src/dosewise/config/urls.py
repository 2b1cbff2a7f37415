from django.urls import include, path

from dosewise.config.api import api
from dosewise.web import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", include("dosewise.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("", include("dosewise.audit.urls")),
    path("", include("dosewise.patients.urls")),
    path("", include("dosewise.assessments.urls")),
    path("", include("dosewise.medications.urls")),
    path("", include("dosewise.monitoring.urls")),
    path("", include("dosewise.outreach.urls")),
    path("", include("dosewise.scheduling.urls")),
    path("", include("dosewise.visits.urls")),
    path("", include("dosewise.messaging.urls")),
    path("", include("dosewise.portal.urls")),
    path("", include("dosewise.web.urls")),
]

handler403 = "dosewise.web.views.forbidden"
handler404 = "dosewise.web.views.not_found"
