from django.urls import path

from dosewise.portal import views

app_name = "portal"

urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/choose/", views.choose, name="choose"),
    path("portal/family/", views.family, name="family"),
    path("portal/medicines/", views.medicines, name="medicines"),
    path("portal/medicines/<int:medication_id>/handout/", views.handout, name="handout"),
    path("portal/calendar/", views.calendar, name="calendar"),
    path("portal/doses/", views.dose_log, name="dose_log"),
    path("portal/side-effects/new/", views.side_effect_new, name="side_effect_new"),
    path("portal/side-effects/<int:side_effect_id>/", views.side_effect_advice, name="side_effect_advice"),
    path("portal/questionnaires/<int:link_id>/", views.questionnaire, name="questionnaire"),
    path("portal/questionnaires/start/<slug:questionnaire>/", views.questionnaire_start, name="questionnaire_start"),
    path("portal/settings/", views.settings_page, name="settings"),
    path("portal/messages-consent/", views.messages_consent, name="messages_consent"),
    path("portal/language/", views.language, name="language"),
    path("portal/security/", views.security, name="security"),
    path("portal/push/subscribe/", views.push_subscribe, name="push_subscribe"),
    path("portal/push/unsubscribe/", views.push_unsubscribe, name="push_unsubscribe"),
    path("portal/push/test/", views.push_test, name="push_test"),
    path("portal/manifest.webmanifest", views.manifest, name="manifest"),
    path("portal/sw.js", views.service_worker, name="service_worker"),
    path("portal/offline/", views.offline, name="offline"),
    path("portal/staff/patients/<int:patient_id>/", views.staff_access, name="staff_access"),
    path("portal/staff/patients/<int:patient_id>/revoke/", views.staff_revoke, name="staff_revoke"),
    path("portal/staff/patients/<int:patient_id>/proxies/", views.staff_proxy_grant, name="staff_proxy_grant"),
    path("portal/staff/patients/<int:patient_id>/proxies/revoke/", views.staff_proxy_revoke,
         name="staff_proxy_revoke"),
    path("portal/staff/patients/<int:patient_id>/dose-log/", views.staff_dose_log, name="staff_dose_log"),
]
