from django.urls import path

from dosewise.scheduling import portal_views, views

app_name = "scheduling"

urlpatterns = [
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/book/", views.book, name="book"),
    path("schedule/appointments/<int:appointment_id>/", views.appointment_detail, name="appointment_detail"),
    path("schedule/appointments/<int:appointment_id>/reschedule/", views.appointment_reschedule,
         name="appointment_reschedule"),
    path("schedule/appointments/<int:appointment_id>/cancel/", views.appointment_cancel, name="appointment_cancel"),
    path("schedule/appointments/<int:appointment_id>/no-show/", views.appointment_no_show,
         name="appointment_no_show"),
    path("schedule/appointments/<int:appointment_id>/status/", views.appointment_status, name="appointment_status"),
    path("schedule/appointments/<int:appointment_id>/start/", views.appointment_start, name="appointment_start"),
    path("schedule/appointments/<int:appointment_id>/end-series/", views.series_end, name="series_end"),
    path("schedule/appointments/<int:appointment_id>/appointment.ics", views.appointment_ics,
         name="appointment_ics"),
    path("schedule/appointments/<int:appointment_id>/video/", views.video_visit, name="video_visit"),
    path("schedule/availability/", views.availability, name="availability"),
    path("schedule/availability/hours/<int:hours_id>/remove/", views.hours_remove, name="hours_remove"),
    path("schedule/availability/exceptions/<int:exception_id>/remove/", views.exception_remove,
         name="exception_remove"),
    path("schedule/settings/", views.settings_page, name="settings"),
    path("schedule/waitlist/", views.waitlist, name="waitlist"),
    path("schedule/waitlist/<int:entry_id>/remove/", views.waitlist_remove, name="waitlist_remove"),
    path("schedule/rates/", views.rates, name="rates"),
    path("schedule/feed/", views.feed_settings, name="feed_settings"),
    path("schedule/feed/<str:token>.ics", views.feed, name="feed"),
    path("schedule/a/<str:token>/", views.patient_link, name="patient_link"),
    path("schedule/a/<str:token>/video/", views.patient_video, name="patient_video"),
    path("schedule/offer/<str:token>/", views.offer_accept, name="offer_accept"),
    # The patient's appointments in the portal (scheduling/portal_views.py).
    path("portal/appointments/", portal_views.portal_appointments, name="portal_appointments"),
    path("portal/appointments/<int:appointment_id>/", portal_views.portal_appointment_action,
         name="portal_appointment_action"),
    path("portal/appointments/<int:appointment_id>/appointment.ics", portal_views.portal_appointment_ics,
         name="portal_appointment_ics"),
    path("portal/appointments/requests/<int:entry_id>/withdraw/", portal_views.portal_request_withdraw,
         name="portal_request_withdraw"),
]
