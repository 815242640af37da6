from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("read/", views.notices_read, name="read"),
    path("preference/", views.preference, name="preference"),
    path("calendar/new/", views.calendar_renew, name="calendar_renew"),
    path("calendar/stop/", views.calendar_revoke, name="calendar_revoke"),
    path("calendar/<slug:agency>/<str:token>.ics", views.calendar, name="calendar"),
]
