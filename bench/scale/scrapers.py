#!/usr/bin/env python3
"""N Prometheus-like scrapers against one URL; prints one JSON object on stdout.

  scrapers.py URL [--scrapers N] [--interval D] [--duration D] [--phase spread|aligned] [--seed S] [--timeout D]
                  [--pid PID]

Each scraper holds its own HTTP/1.1 keep-alive connection, as a Prometheus server does, and sends `GET` with
`Accept-Encoding: gzip` and Prometheus's Accept header on a fixed grid: start + offset + k * interval for every k with
offset + k * interval < duration. `spread`: each scraper's offset is a fixed random one in [0, interval) (a seeded RNG,
so runs are reproducible), as independent Prometheus servers' are; `aligned`: every offset is 0, all scrapers fire at
the same instant every interval (the worst case). A scrape whose slot comes while the same scraper's previous one is
still running is skipped and counted, never stacked. Latency runs from just before the request is written to the last
byte of the body (Content-Length bytes, or every chunk of a chunked body); a connection the server closed is reopened
(the reopening counts in that scrape's latency). Non-200 answers, errors and timeouts are failures. With --pid, the
exporter's CPU seconds (utime + stime) over the run are reported per scrape.

Durations take a unit or none: 1s, 500ms, 30 (seconds).

Output: scrapers, interval, duration, phase, count (scrapes started), failures, skipped, p50/p90/p99/max_ms (latency
of the successful ones), bytes_per_scrape (body bytes, median), cpu_ms_per_scrape (raw, incl. what the exporter does
in the background meanwhile), cpu_seconds and seconds (to take a background rate off), plus diagnostics: the client's
own CPU per scrape, how late the event loop started scrapes (start_lateness_*: timer slack, not part of the latency),
how long sending one batch of scrapes due together took (batch_send_spread_ms_max: an aligned burst leaves the client
within that), reconnections, statuses and errors.

The client is kept cheap (it shares the cores with the exporter): one event loop and one timer for all scrapers; the
requests due at a wake-up are sent in one tight loop with plain non-blocking send() calls (so an aligned burst leaves
together rather than one coroutine step apart); the answers are read by per-connection reader callbacks on the raw
non-blocking sockets (no coroutine, task or future per scrape), into one shared buffer, and a Content-Length body is
only counted (never stored or decompressed). Latency is
taken with time.perf_counter: the event loop's lateness in starting a scrape is not counted, its lateness in reading
an answer (busy with another scraper's) is.
"""
import argparse
import asyncio
import errno
import heapq
import json
import os
import random
import socket
import statistics
import sys
import time
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ left in the repository by this import
from scale import cpu_seconds, percentile  # noqa: E402

ACCEPT = ("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
          "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
HEADER_LIMIT = 64 * 1024
# One receive buffer for every connection: the callbacks run one at a time, and body bytes are only counted
RECEIVED = memoryview(bytearray(256 * 1024))


def error_name(error):
    if isinstance(error, int):
        error = OSError(error, os.strerror(error))  # maps to the subclass, e.g. ConnectionRefusedError
    return type(error).__name__ if error is not None else "Closed"


class Scraper:
    """One Prometheus-like scraper: a kept connection driven by event-loop callbacks (no coroutine per scrape, so that
    the client's per-answer work, which runs on the exporter's cores, stays small). States of the answer: head,
    length (counting body bytes), chunk-size / chunk-data / chunk-crlf / trailer, close (a body up to the close)."""

    def __init__(self, loop, address, request, offset, timeout):
        self.loop, self.address, self.request, self.offset, self.timeout = loop, address, request, offset, timeout
        self.latencies, self.sizes, self.lateness = [], [], []
        self.count = self.failures = self.skipped = self.reconnects = 0
        self.statuses, self.errors = {}, {}
        self.sock, self.connected, self.used = None, False, False  # used: the connection has answered before
        self.busy, self.unsent, self.timer = False, b"", None
        self.phase, self.pending, self.remaining, self.body = None, bytearray(), 0, 0
        self.status, self.keep, self.received, self.retried, self.began = 0, True, False, False, 0.0

    # connection

    def open_blocking(self):
        """Before the run, as a Prometheus server has its connection from earlier scrapes."""
        sock = socket.create_connection(self.address, timeout=10)
        self.adopt(sock)

    def adopt(self, sock):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        self.sock, self.connected, self.used = sock, True, False
        self.loop.add_reader(sock, self.on_readable)  # kept for the connection's life: a close while idle shows too

    def connect(self):
        sock = socket.socket(socket.AF_INET6 if ":" in self.address[0] else socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        self.sock, self.connected, self.used = sock, False, False
        err = sock.connect_ex(self.address)
        if err in (0, errno.EISCONN):
            self.on_connected()
        elif err in (errno.EINPROGRESS, errno.EWOULDBLOCK):
            self.loop.add_writer(sock, self.on_connect_ready)
        else:
            self.abort(error_name(err))

    def on_connect_ready(self):
        self.loop.remove_writer(self.sock)
        err = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if err:
            self.abort(error_name(err))
        else:
            self.on_connected()

    def on_connected(self):
        sock = self.sock
        self.adopt(sock)
        if self.busy:
            self.flush()

    def close(self):
        if self.sock is not None:
            self.loop.remove_reader(self.sock)
            self.loop.remove_writer(self.sock)
            self.sock.close()
            self.sock, self.connected = None, False

    def flush(self):
        try:
            sent = self.sock.send(self.unsent)
        except BlockingIOError:
            sent = 0
        except OSError as error:
            self.connection_lost(error)
            return
        self.unsent = self.unsent[sent:]
        if self.unsent:
            self.loop.add_writer(self.sock, self.flush)
        elif sent:
            self.loop.remove_writer(self.sock)

    # a scrape

    def begin(self, slot):
        """Starts a scrape and sends its request at once, so that the scrapes due together leave together."""
        # Not measured: how late the event loop starts this scrape (kept apart as `lateness`). Measured: everything from
        # here to the body's last byte, including the loop's lateness in handling the answer (e.g. while it sends the
        # rest of an aligned batch or handles other scrapers' answers).
        self.busy, self.count = True, self.count + 1
        now = self.loop.time()
        self.lateness.append(now - slot)
        self.timer = self.loop.call_at(now + self.timeout, self.on_timeout)
        self.phase, self.body, self.received, self.retried, self.unsent = "head", 0, False, False, self.request
        self.pending.clear()
        self.began = time.perf_counter()
        if self.sock is None:  # closed after a failure or a `Connection: close`, or dropped while idle
            self.reconnects += 1
            self.connect()
        elif self.connected:
            self.flush()
        return self.began

    def on_readable(self):
        try:
            n = self.sock.recv_into(RECEIVED)
        except BlockingIOError:
            return
        except OSError as error:
            self.connection_lost(error)
            return
        if n == 0:
            self.connection_lost(None)
        elif not self.busy:  # bytes nobody asked for: drop the connection
            self.close()
        else:
            self.received = True
            if self.phase == "length":  # the common case: count the body's bytes, look at none of them
                self.remaining -= n
                if self.remaining == 0:
                    self.finish()
                elif self.remaining < 0:  # more bytes than Content-Length
                    self.abort("ValueError")
            else:
                self.pending += RECEIVED[:n]
                try:
                    self.parse()
                except ValueError:
                    self.abort("ValueError")

    def parse(self):
        pending = self.pending
        while self.busy:
            if self.phase == "head":
                end = pending.find(b"\r\n\r\n")
                if end < 0:
                    if len(pending) > HEADER_LIMIT:
                        raise ValueError("header too long")
                    return
                self.parse_head(bytes(pending[:end]))
                del pending[:end + 4]
            elif self.phase == "length":
                self.remaining -= len(pending)
                pending.clear()
                if self.remaining < 0:
                    raise ValueError("more bytes than Content-Length")
                if self.remaining == 0:
                    self.finish()
                return
            elif self.phase in ("chunk-size", "trailer"):
                end = pending.find(b"\r\n")
                if end < 0:
                    if len(pending) > HEADER_LIMIT:
                        raise ValueError("chunk line too long")
                    return
                line = bytes(pending[:end])
                del pending[:end + 2]
                if self.phase == "trailer":
                    if not line:
                        self.finish()
                elif (size := int(line.split(b";", 1)[0].strip(), 16)) == 0:
                    self.phase = "trailer"
                else:
                    self.phase, self.remaining = "chunk-data", size
            elif self.phase == "chunk-data":
                take = min(self.remaining, len(pending))
                del pending[:take]
                self.remaining -= take
                self.body += take
                if self.remaining:
                    return
                self.phase = "chunk-crlf"
            elif self.phase == "chunk-crlf":
                if len(pending) < 2:
                    return
                del pending[:2]
                self.phase = "chunk-size"
            else:  # close: the body runs to the connection's close
                self.body += len(pending)
                pending.clear()
                return

    def parse_head(self, head):
        lines = head.split(b"\r\n")
        parts = lines[0].split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
            raise ValueError(f"bad status line {lines[0][:80]!r}")
        self.status, self.keep = int(parts[1]), parts[0] != b"HTTP/1.0"
        length, chunked = None, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value
            elif name == b"connection":
                self.keep = b"close" not in value if self.keep else b"keep-alive" in value
        if chunked:
            self.phase = "chunk-size"
        elif length is not None:
            self.phase, self.remaining, self.body = "length", length, length
        else:
            self.phase = "close"

    def finish(self):
        elapsed = time.perf_counter() - self.began
        self.timer.cancel()
        self.statuses[self.status] = self.statuses.get(self.status, 0) + 1
        if self.status == 200:
            self.latencies.append(elapsed)
            self.sizes.append(self.body)
        else:
            self.failures += 1
        self.busy, self.phase, self.used = False, None, True
        if not self.keep:
            self.close()

    def connection_lost(self, error):
        if not self.busy:  # closed while idle: the next scrape reconnects
            self.close()
        elif self.phase == "close" and error is None:
            self.keep = False
            self.finish()
        elif self.used and not self.received and not self.retried:
            # A kept connection the server closed before answering: reopen it and send again, once, as Go's HTTP
            # client does for an idempotent request (the reopening counts in this scrape's latency)
            self.close()
            self.retried, self.unsent, self.phase = True, self.request, "head"
            self.pending.clear()
            self.reconnects += 1
            self.connect()
        else:
            self.abort(error_name(error))

    def on_timeout(self):
        self.abort("timeout")

    def abort(self, reason):
        if not self.busy:
            return
        self.timer.cancel()
        self.failures += 1
        self.errors[reason] = self.errors.get(reason, 0) + 1
        self.busy, self.phase = False, None
        self.close()


async def schedule(loop, scrapers, start, interval, duration):
    """One timer for all scrapers: at each wake-up every due scraper's request is sent in one tight loop; callbacks
    then read the answers. A slot whose scraper is still busy with its previous scrape is skipped."""
    heap = [(start + s.offset, i, 0) for i, s in enumerate(scrapers) if s.offset < duration]
    heapq.heapify(heap)
    spreads = []
    while heap:
        delay = heap[0][0] - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        now, first, last = loop.time(), None, None
        while heap and heap[0][0] <= now:
            slot, i, k = heapq.heappop(heap)
            scraper = scrapers[i]
            if scraper.offset + (k + 1) * interval < duration:
                heapq.heappush(heap, (start + scraper.offset + (k + 1) * interval, i, k + 1))
            if scraper.busy:
                scraper.skipped += 1
            else:
                last = scraper.begin(slot)
                first = first if first is not None else last
        if last is not None and last > first:
            spreads.append(last - first)
    while any(s.busy for s in scrapers):  # the last answers (bounded by the timeout)
        await asyncio.sleep(0.01)
    for scraper in scrapers:
        scraper.close()
    return spreads


def seconds(text):
    text = text.strip()
    if text.endswith("ms"):
        return float(text[:-2]) / 1000
    return float(text[:-1] if text.endswith("s") else text)


async def main_async(args):
    url = urlsplit(args.url)
    if url.scheme != "http":
        sys.exit("only http:// URLs")
    host, port = url.hostname, url.port or 80
    path = (url.path or "/") + (f"?{url.query}" if url.query else "")
    host_header = f"[{host}]" if ":" in host else host
    request = (f"GET {path} HTTP/1.1\r\nHost: {host_header}:{port}\r\nUser-Agent: oie-bench-scrapers/1 (Prometheus-like)"
               f"\r\nAccept: {ACCEPT}\r\nAccept-Encoding: gzip\r\n"
               f"X-Prometheus-Scrape-Timeout-Seconds: {args.timeout:g}\r\n\r\n").encode()
    address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][4][:2]
    interval, duration = args.interval, args.duration
    rng = random.Random(args.seed)
    offsets = [rng.uniform(0, interval) if args.phase == "spread" else 0.0 for _ in range(args.scrapers)]
    loop = asyncio.get_running_loop()
    scrapers = [Scraper(loop, address, request, offset, args.timeout) for offset in offsets]
    # The connections are opened before the first slot, as a Prometheus server has its connection from earlier scrapes.
    try:
        for scraper in scrapers:
            scraper.open_blocking()
    except OSError as error:
        sys.exit(f"cannot connect to {args.url}: {error}")
    cpu_before = cpu_seconds(args.pid) if args.pid else None
    client_before, wall_before = time.process_time(), time.monotonic()
    start = loop.time() + 0.2
    spreads = await schedule(loop, scrapers, start, interval, duration)
    wall = time.monotonic() - wall_before
    cpu = cpu_seconds(args.pid) - cpu_before if args.pid else None
    client_cpu = time.process_time() - client_before

    latencies = [v * 1000 for s in scrapers for v in s.latencies]
    lateness = [v * 1000 for s in scrapers for v in s.lateness]
    sizes = [v for s in scrapers for v in s.sizes]
    count, failures = sum(s.count for s in scrapers), sum(s.failures for s in scrapers)
    statuses, errors = {}, {}
    for s in scrapers:
        for key, n in s.statuses.items():
            statuses[str(key)] = statuses.get(str(key), 0) + n
        for key, n in s.errors.items():
            errors[key] = errors.get(key, 0) + n
    pick = lambda p: percentile(latencies, p) if latencies else None
    return {"scrapers": args.scrapers, "interval": interval, "duration": duration, "phase": args.phase,
            "seed": args.seed, "count": count, "failures": failures, "skipped": sum(s.skipped for s in scrapers),
            "p50_ms": pick(50), "p90_ms": pick(90), "p99_ms": pick(99), "max_ms": max(latencies, default=None),
            "bytes_per_scrape": statistics.median(sizes) if sizes else None,
            "cpu_ms_per_scrape": cpu * 1000 / count if cpu is not None and count else None,
            "cpu_seconds": cpu, "seconds": wall,
            "client_cpu_ms_per_scrape": client_cpu * 1000 / count if count else None,
            "start_lateness_ms_p50": percentile(lateness, 50) if lateness else None,
            "start_lateness_ms_p99": percentile(lateness, 99) if lateness else None,
            "start_lateness_ms_max": max(lateness, default=None),
            "batch_send_spread_ms_max": max(spreads) * 1000 if spreads else None,
            "reconnects": sum(s.reconnects for s in scrapers), "statuses": statuses, "errors": errors}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("url")
    parser.add_argument("--scrapers", type=int, default=50)
    parser.add_argument("--interval", type=seconds, default=1.0, help="between one scraper's scrapes (1s)")
    parser.add_argument("--duration", type=seconds, default=30.0, help="of the run (30s)")
    parser.add_argument("--phase", choices=("spread", "aligned"), default="spread")
    parser.add_argument("--seed", type=int, default=1, help="of the spread offsets (1)")
    parser.add_argument("--timeout", type=seconds, default=None,
                        help="per scrape (as Prometheus's scrape_timeout: the interval, at most 10s)")
    parser.add_argument("--pid", type=int, help="the exporter's, for its CPU seconds per scrape")
    args = parser.parse_args()
    if args.timeout is None:
        args.timeout = min(args.interval, 10.0)
    if args.scrapers < 1 or args.interval <= 0 or args.duration <= 0:
        sys.exit("--scrapers, --interval and --duration must be positive")
    print(json.dumps(asyncio.run(main_async(args))))


if __name__ == "__main__":
    main()
