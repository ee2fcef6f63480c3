from django.urls import path

from . import views

urlpatterns = [path("webhooks/payments/", views.payment_events)]
