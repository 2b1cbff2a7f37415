from django.urls import path

from dosewise.accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/prescribers/<int:user_id>/numbers/", views.prescriber_numbers, name="prescriber_numbers"),
]
