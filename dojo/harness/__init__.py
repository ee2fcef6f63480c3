"""The pytest side: the plugin, the fixtures kata tests use, and both drivers (in-process through
Django's ASGI handler, and server mode over real HTTP)."""
