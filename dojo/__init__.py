"""Async Django Dojo: katas, their pytest harness, and the tools around them."""
