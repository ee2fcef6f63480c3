from django.urls import path

from . import views

urlpatterns = [path("orders/<int:order_id>/status/", views.order_status)]
