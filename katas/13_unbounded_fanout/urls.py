from django.urls import path

from . import views

urlpatterns = [path("basket/quote/", views.quote)]
