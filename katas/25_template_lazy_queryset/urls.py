from django.urls import path

from . import views

urlpatterns = [path("picks/", views.staff_picks)]
