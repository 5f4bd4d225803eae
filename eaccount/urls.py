from django.urls import path

from . import views, views_access, views_inbox

app_name = "eaccount"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("logout/everywhere/", views.logout_everywhere_view, name="logout-everywhere"),
    path("profile/", views.profile_view, name="profile"),
    path("profile/contacts/", views.profile_contacts_view, name="profile-contacts"),
    path("profile/language/", views.profile_language_view, name="profile-language"),
    path("profile/notices/", views.profile_notices_view, name="profile-notices"),
    path("profile/email/confirm/<str:token>/", views.email_confirm_view, name="email-confirm"),
    path("inbox/", views_inbox.inbox_view, name="inbox"),
    path("inbox/messages/<int:pk>/", views_inbox.message_view, name="inbox-message"),
    path("inbox/messages/<int:pk>/unread/", views_inbox.message_unread_view, name="inbox-message-unread"),
    path("inbox/messages/<int:pk>/archive/", views_inbox.message_archive_view, name="inbox-message-archive"),
    path(
        "inbox/messages/<int:pk>/unarchive/",
        views_inbox.message_unarchive_view,
        name="inbox-message-unarchive",
    ),
    path("inbox/documents/<int:pk>/", views_inbox.inbox_document_view, name="inbox-document"),
    path("access-log/", views_access.access_log_view, name="access-log"),
]
