from django.urls import path

from . import views

urlpatterns = [path("words/<str:word>/", views.word_facts)]
