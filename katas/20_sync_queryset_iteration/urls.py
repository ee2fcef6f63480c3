from django.urls import path

from . import views

urlpatterns = [path("shelves/<slug:genre>/", views.shelf)]
