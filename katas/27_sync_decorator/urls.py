from django.urls import path

from . import views

urlpatterns = [
    path("stock/<str:sku>/", views.stock_level),
    path("delivery/<str:postcode>/", views.delivery_slots),
]
