from django.urls import path

from . import views

urlpatterns = [path("quote/", views.quote_of_the_day)]
