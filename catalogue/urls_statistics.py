"""The visit statistics of the agency's service pages, under /services/manage/statistics/."""

from django.urls import path

from . import views_statistics

urlpatterns = [
    path("manage/statistics/", views_statistics.statistics, name="statistics"),
]
