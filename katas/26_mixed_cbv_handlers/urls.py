from django.urls import path

from . import views

urlpatterns = [path("alerts/<str:city>/", views.CityAlertsView.as_view())]
