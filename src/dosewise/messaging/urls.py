from django.urls import path

from dosewise.messaging import views

app_name = "messaging"

urlpatterns = [
    path("portal/messages/", views.portal_inbox, name="portal_inbox"),
    path("portal/messages/new/", views.portal_new, name="portal_new"),
    path("portal/messages/<int:thread_id>/", views.portal_thread, name="portal_thread"),
    path("portal/messages/files/<int:attachment_id>/", views.portal_attachment, name="portal_attachment"),
    path("portal/refills/new/", views.portal_refill, name="portal_refill"),
    path("messages/", views.inbox, name="inbox"),
    path("messages/settings/", views.settings_page, name="settings"),
    path("messages/patients/<int:patient_id>/new/", views.thread_new, name="thread_new"),
    path("messages/patients/<int:patient_id>/<int:thread_id>/", views.thread, name="thread"),
    path("messages/patients/<int:patient_id>/<int:thread_id>/assign/", views.thread_assign, name="thread_assign"),
    path("messages/patients/<int:patient_id>/<int:thread_id>/status/", views.thread_status, name="thread_status"),
    path("messages/patients/<int:patient_id>/<int:thread_id>/refill/", views.refill_decide, name="refill_decide"),
    path("messages/patients/<int:patient_id>/files/<int:attachment_id>/", views.attachment, name="attachment"),
]
