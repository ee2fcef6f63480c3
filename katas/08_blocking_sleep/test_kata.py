async def test_ok(app):
    response = await app.get("/slow/")
    response.assert_json({"ok": True})


async def test_burst(burst):
    report = await burst("/slow/", n=5)
    report.assert_all_status(200)
    report.assert_served_concurrently()
