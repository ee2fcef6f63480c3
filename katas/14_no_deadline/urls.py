from django.urls import path

from . import views

urlpatterns = [path("products/<str:sku>/delivery/", views.delivery_estimate)]
