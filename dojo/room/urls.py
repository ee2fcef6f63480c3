"""The room's routes: the pairs' API, and everything under the room's code."""

from django.urls import path

from dojo.room import controls, views

urlpatterns = [
    path("api/lights", views.post_light),
    path("api/join", views.join),
    path("api/room", views.room_state),
    path("<str:code>/", views.dashboard),
    path("<str:code>/events", views.events),
    path("<str:code>/lights/<int:light_id>", controls.light),
    path("<str:code>/control", controls.control),
    path("<str:code>/export.json", controls.export_json),
    path("<str:code>/export.zip", controls.export_zip),
    path("<str:code>/stats", controls.stats),
]
