from django.urls import path

from . import views

urlpatterns = [path("orders/<int:order_id>/receipt/", views.send_order_receipt)]
