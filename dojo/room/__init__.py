"""The dojo room: a facilitator's live dashboard of every pair's test runs.

An async Django app served by uvicorn on the facilitator's machine (``python -m dojo room``),
and the dojo's own worked example of what the katas teach: async views, the async ORM, no
blocking call on the event loop, live updates pushed by Server-Sent Events, and a bounded
amount of work per request.

- ``models``: a room, its pairs, and their lights (one per test run).
- ``views``: the pairs' API (post a light, read the room), the dashboard, the live stream,
  the review of a light, the facilitator's controls and the export.
- ``broadcast``: hands each new light to every open dashboard, without waiting on any.
- ``heartbeat``: measures the event loop's longest stall, so the room proves on itself that
  it never blocks.
- ``server``: makes or resumes the room under build/room/ and serves it.
- ``sender``: the pairs' side: after each run, queue a light and send it in the background.
- ``load``: 30 pairs and three dashboards against a room, and what it measured.
"""
