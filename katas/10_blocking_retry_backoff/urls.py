from django.urls import path

from . import views

urlpatterns = [path("shipping/quote/", views.shipping_quote)]
