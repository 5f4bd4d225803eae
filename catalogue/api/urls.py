from django.urls import path, re_path

from . import views

urlpatterns = [
    path("services/", views.ServiceListApi.as_view(), name="catalogue-api-services"),
    re_path(r"^services/(?P<code>[^/]+)/$", views.ServiceDetailApi.as_view(), name="catalogue-api-service"),
    re_path(
        r"^services/(?P<code>[^/]+)/publish/$",
        views.ServicePublishApi.as_view(),
        name="catalogue-api-publish",
    ),
]
