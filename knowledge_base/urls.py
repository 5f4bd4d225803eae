from django.urls import path

from . import views

app_name = "knowledge_base"

urlpatterns = [
    path("", views.index, name="index"),
    path("articles/new/", views.article_create, name="article-create"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("articles/<int:pk>/edit/", views.article_edit, name="article-edit"),
    path("articles/<int:pk>/note/", views.article_note, name="article-note"),
    path("articles/<int:pk>/versions/<int:number>/", views.article_version, name="article-version"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("subscriptions/<int:pk>/remove/", views.subscription_remove, name="subscription-remove"),
    path("scripts/", views.script_list, name="scripts"),
    path("scripts/<int:pk>/start/", views.script_start, name="script-start"),
    path("scripts/new/", views.script_new, name="script-new"),
    path("scripts/<int:pk>/edit/", views.script_edit, name="script-edit"),
    path("scripts/<int:pk>/add-node/", views.script_node_add, name="script-node-add"),
    path("scripts/<int:pk>/nodes/<slug:node>/", views.script_node, name="script-node"),
    path("scripts/<int:pk>/nodes/<slug:node>/remove/", views.script_node_remove, name="script-node-remove"),
    path("scripts/<int:pk>/publish/", views.script_publish, name="script-publish"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/finish/", views.run_finish, name="run-finish"),
]
