from django.urls import path

from . import views

urlpatterns = [path("prices/convert/", views.convert)]
