from django.db import models


class Account(models.Model):
    number = models.CharField(max_length=20, unique=True)
    owner = models.CharField(max_length=100)
    balance = models.IntegerField(help_text="in cents")
    closed = models.BooleanField(default=False)

    def __str__(self):
        return self.number
