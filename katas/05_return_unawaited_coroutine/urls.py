from django.urls import path

from . import views

urlpatterns = [path("members/<int:member_id>/card/", views.member_card)]
