from django.urls import path

from dosewise.accounts import views

app_name = "accounts"

urlpatterns = [
    path("admin/staff/", views.staff_list, name="staff_list"),
    path("admin/staff/<int:user_id>/active/", views.staff_set_active, name="staff_set_active"),
    path("accounts/prescribers/<int:user_id>/numbers/", views.prescriber_numbers, name="prescriber_numbers"),
]
