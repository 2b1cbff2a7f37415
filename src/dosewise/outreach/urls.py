from django.urls import path

from dosewise.outreach import views

app_name = "outreach"

urlpatterns = [
    path("request-consultation/", views.consultation_request, name="consultation_request"),
    path("request-consultation/sent/", views.consultation_request_sent, name="consultation_request_sent"),
    path("request-consultation/<slug:slug>/", views.consultation_request, name="consultation_request_clinic"),
    path("outreach/requests/", views.queue, name="queue"),
    path("outreach/requests/<int:request_id>/", views.request_detail, name="request_detail"),
    path("outreach/requests/<int:request_id>/status/", views.request_status, name="request_status"),
    path("outreach/requests/<int:request_id>/consent/", views.request_consent, name="request_consent"),
    path("outreach/requests/<int:request_id>/convert/", views.request_convert, name="request_convert"),
    path("outreach/consent-wording/", views.disclosures, name="disclosures"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("webhooks/twilio/sms/", views.twilio_sms, name="twilio_sms"),
]
