"""Right: one awaited query: the book, annotated with a subquery that counts its author's
other books; aget_object_or_404 accepts the annotated queryset."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.shortcuts import aget_object_or_404

from .models import Book


async def book_detail(request, book_id):
    others = (
        Book.objects.filter(author=OuterRef("author"))
        .exclude(pk=OuterRef("pk"))
        .order_by()
        .values("author")
        .annotate(n=Count("pk"))
        .values("n")
    )
    book = await aget_object_or_404(
        Book.objects.annotate(more=Coalesce(Subquery(others), 0)), pk=book_id
    )
    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": book.more,
        }
    )
