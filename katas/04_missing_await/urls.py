from django.urls import path

from . import views

urlpatterns = [path("forecast/<str:city>/", views.forecast)]
