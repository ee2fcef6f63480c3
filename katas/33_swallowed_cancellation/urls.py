from django.urls import path

from . import views

urlpatterns = [path("exports/orders/", views.export_orders)]
