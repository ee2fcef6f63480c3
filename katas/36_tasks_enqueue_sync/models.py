from django.db import models


class Order(models.Model):
    email = models.EmailField()
    total = models.IntegerField(help_text="in cents")
    receipt_sent = models.BooleanField(default=False)

    def __str__(self):
        return f"order {self.pk}"
