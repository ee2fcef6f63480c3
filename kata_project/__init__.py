"""The Django project that serves every kata: settings, URLs and the ASGI entry point."""
