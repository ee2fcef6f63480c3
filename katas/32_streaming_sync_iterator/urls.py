from django.urls import path

from . import views

urlpatterns = [path("orders/export.csv", views.export_orders)]
