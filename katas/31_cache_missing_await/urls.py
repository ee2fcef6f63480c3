from django.urls import path

from . import views

urlpatterns = [path("rates/<str:base>/", views.exchange_rates)]
