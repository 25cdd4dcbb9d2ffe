#!/usr/bin/python3
"""egress-sensor dashboard: the SOC's live view of the Redis feed.

  tools/dashboard/server.py --redis unix:///path/redis.sock [--prefix egress]
                            [--listen 127.0.0.1] [--port 8080]

Reads, for every sensor listed in Redis (the set <prefix>:sensors, and the sorted set
<prefix>:sensors:seen when present), the health hash <prefix>:<sensor>:health, the
alerts stream, the incidents stream and the open-incident hashes
<prefix>:<sensor>:incident:<id>.  Serves one page (static/, plain HTML/CSS/JS, no CDN,
no build step) and pushes changes to it with server-sent events (/api/events): each
browser gets its own XREAD BLOCK loop over the streams, so a record the sensor writes
appears on the page within about a second, without a reload.  Debian packages only:
python3-aiohttp and python3-redis (redis.asyncio).  Read-only: it never writes to Redis.
"""
import argparse
import asyncio
import json
import os
import sys
import time

from aiohttp import web
import redis.asyncio as aioredis

HERE = os.path.dirname(os.path.abspath(__file__))
ALERTS_BACKLOG = 500        # alerts per sensor sent when a page connects
HEALTH_EVERY = 2.0          # s between health pushes
SENSORS_EVERY = 5.0         # s between looks for new sensors


def s(v):
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else v


class Feed:
    """Everything read from Redis; one per server, a Redis client per page."""

    def __init__(self, url, prefix):
        self.url = url
        self.prefix = prefix
        self.rate = {}      # sensor -> (updated, packets) of the previous health read

    def client(self):
        return aioredis.from_url(self.url)

    async def sensors(self, r):
        names = {s(n) for n in await r.smembers(self.prefix + ":sensors")}
        seen = self.prefix + ":sensors:seen"
        if s(await r.type(seen)) == "zset":
            names |= {s(n) for n in await r.zrange(seen, 0, -1)}
        return sorted(names)

    async def health(self, r, name):
        h = {s(k): s(v) for k, v in (await r.hgetall(
            "%s:%s:health" % (self.prefix, name))).items()}
        now = (await r.time())[0]
        out = {"sensor": name, "alive": bool(h), "fields": h}
        if not h:
            return out
        upd, pk = int(h.get("updated", 0)), int(h.get("packets", 0))
        prev = self.rate.get(name)
        pps = prev[2] if prev else None
        if prev and upd > prev[0]:
            # A restarted sensor starts its counters again: no rate then.
            pps = round((pk - prev[1]) / (upd - prev[0]), 1) if pk >= prev[1] else None
        if not prev or upd > prev[0]:
            self.rate[name] = (upd, pk, pps)
        out["pps"] = pps
        out["heartbeat_age"] = max(0, now - upd)
        out["packets"] = pk
        out["drops"] = int(h.get("capture_drops", 0)) + int(h.get("capture_ifdrops", 0))
        out["redis_errors"] = int(h.get("redis_errors", 0))
        # The writer's own lag when the sensor reports one, else how stale the
        # sensor's last write to Redis is (Redis clock minus heartbeat).
        for k in ("redis_lag_ms", "redis_queue_age_ms"):
            if k in h:
                out["redis_lag_ms"] = int(h[k])
                break
        else:
            out["redis_lag_ms"] = out["heartbeat_age"] * 1000
        return out

    async def incidents(self, r, name):
        out = []
        pat = "%s:%s:incident:*" % (self.prefix, name)
        async for key in r.scan_iter(match=pat, count=500):
            j = await r.hget(key, "json")
            if j:
                out.append(json.loads(j))
        return out

    async def alerts(self, r, name, count=ALERTS_BACKLOG):
        key = "%s:%s:alerts" % (self.prefix, name)
        ents = await r.xrevrange(key, count=count)
        return [json.loads(f[b"json"]) for _, f in reversed(ents) if b"json" in f]

    async def last_ids(self, r, names):
        ids = {}
        for n in names:
            for kind in ("alerts", "incidents"):
                key = "%s:%s:%s" % (self.prefix, n, kind)
                e = await r.xrevrange(key, count=1)
                ids[key] = s(e[0][0]) if e else "0-0"
        return ids


async def page(request):
    return web.FileResponse(os.path.join(HERE, "static", "index.html"))


async def state(request):
    feed = request.app["feed"]
    r = feed.client()
    try:
        names = await feed.sensors(r)
        # Stream positions first: the page's event stream starts there, so
        # nothing written while this is read is missed.
        out = {"prefix": feed.prefix, "sensors": [], "incidents": [], "alerts": [],
               "ids": await feed.last_ids(r, names)}
        for n in names:
            out["sensors"].append(await feed.health(r, n))
            out["incidents"] += await feed.incidents(r, n)
            out["alerts"] += await feed.alerts(r, n)
        out["alerts"].sort(key=lambda a: a.get("timestamp", ""))
        return web.json_response(out)
    finally:
        await r.close()


async def send(resp, event, data):
    await resp.write(("event: %s\ndata: %s\n\n" % (event, json.dumps(data))).encode())


async def events(request):
    """Server-sent events: alert, incident, health, sensors."""
    feed = request.app["feed"]
    resp = web.StreamResponse(headers={"Content-Type": "text/event-stream",
                                       "Cache-Control": "no-cache"})
    await resp.prepare(request)
    r = feed.client()
    try:
        names = await feed.sensors(r)
        ids = await feed.last_ids(r, names)
        try:    # positions the page got with /api/state
            given = json.loads(request.query.get("ids", "{}"))
            ids.update({k: v for k, v in given.items() if k in ids})
        except (ValueError, AttributeError):
            pass
        await send(resp, "hello", {"sensors": names})
        t_health = t_sensors = 0.0
        while True:
            now = time.monotonic()
            if now - t_sensors >= SENSORS_EVERY:
                t_sensors = now
                fresh = await feed.sensors(r)
                for n in fresh:
                    if n not in names:
                        for kind in ("alerts", "incidents"):
                            ids["%s:%s:%s" % (feed.prefix, n, kind)] = "0-0"
                if fresh != names:
                    names = fresh
                    await send(resp, "sensors", {"sensors": names})
            if now - t_health >= HEALTH_EVERY:
                t_health = now
                for n in names:
                    await send(resp, "health", await feed.health(r, n))
            if not ids:
                await asyncio.sleep(1)
                continue
            got = await r.xread(ids, block=1000, count=200)
            for key, ents in got or []:
                key = s(key)
                kind = key.rsplit(":", 1)[1]
                for eid, f in ents:
                    ids[key] = s(eid)
                    if b"json" not in f:
                        continue
                    await send(resp, "alert" if kind == "alerts" else "incident",
                               json.loads(f[b"json"]))
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        await r.close()
    return resp


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379"))
    ap.add_argument("--prefix", default="egress")
    ap.add_argument("--listen", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8080)
    a = ap.parse_args()
    app = web.Application()
    app["feed"] = Feed(a.redis, a.prefix)
    app.router.add_get("/", page)
    app.router.add_get("/api/state", state)
    app.router.add_get("/api/events", events)
    app.router.add_static("/static/", os.path.join(HERE, "static"))
    print("dashboard: http://%s:%d/ (Redis %s, prefix %s)" % (a.listen, a.port, a.redis,
                                                            a.prefix), file=sys.stderr)
    web.run_app(app, host=a.listen, port=a.port, print=None)


if __name__ == "__main__":
    main()
