from django.urls import path

from . import views

app_name = "eaccount"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("logout/everywhere/", views.logout_everywhere_view, name="logout-everywhere"),
    path("profile/", views.profile_view, name="profile"),
    path("inbox/", views.inbox_view, name="inbox"),
    path("inbox/documents/<int:pk>/", views.inbox_document_view, name="inbox-document"),
]
