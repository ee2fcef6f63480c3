from django.urls import path

from . import views

urlpatterns = [path("tickets/<str:currency>/", views.ticket_price)]
