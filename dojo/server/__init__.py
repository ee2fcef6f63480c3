"""The server side: a kata's site served by uvicorn in a worker process, the fake upstream as a
real HTTP server, and ``make serve`` / ``make load``."""
