from django.urls import path

from . import views

app_name = "delegation"

urlpatterns = [
    path("act-for/", views.act_for_view, name="act-for"),
]
