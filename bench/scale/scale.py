#!/usr/bin/env python3
"""Measurement helpers for bench/scale/run.sh; each subcommand prints one JSON object on stdout.

  launch URL PIDFILE LOG -- CMD...   start CMD (own session), poll URL until a 200 whose body has instance series;
                                     {"first_answer_ms": first 200 at all, "first_metrics_ms": first with instance
                                     series, ...} measured from just before the fork; CMD keeps running
  cycles URL PID COUNT [DAEMON_PID]  watch COUNT collection cycles through the exporter's self metrics (polled with
                                     gzip); per-stage and total medians/p99, allocated bytes, CPU per cycle, RSS
                                     (sampled at every poll: median and max, and after the cycles); with DAEMON_PID
                                     (libvirtd) also its RSS (the same way) and CPU during the cycles
  sizes URL                          bytes of one scrape, plain and gzip
  cpu PID [DAEMON_PID]               utime+stime of PID (and of DAEMON_PID) in seconds and a monotonic timestamp
  ab AB_OUTPUT CPU_BEFORE CPU_AFTER  p50/p99/mean/failed from an `ab` report, CPU seconds per request (and libvirtd's)
  bursts CPU_BEFORE CPU_AFTER TSV... p50/p99 over every request of several `ab -g` runs (one burst each)
  driver NODE                        RSS and CPU of opening the libvirt test driver on NODE in this process alone
  report DIR                         the markdown results table from DIR/*.json
  check DIR                          what a run left in DIR that cannot be right (a missing result, a failed scrape,
                                     a cycle that did not read every flow); exit 1 if anything, for bench/scale/smoke.sh
"""
import gzip
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

CLK_TCK = os.sysconf("SC_CLK_TCK")
INSTANCE_MARKER = b'instance_uuid="'


def fetch(url, gz=False, timeout=10.0):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gz else {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        raw = response.read()
        return raw, (gzip.decompress(raw) if response.headers.get("Content-Encoding") == "gzip" else raw)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14 and 15 of stat)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def launch(url, pidfile, log, command):
    with open(log, "wb") as out:
        started = time.monotonic()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 start_new_session=True)
    with open(pidfile, "w") as f:
        f.write(str(child.pid))
    deadline, answer = started + 120, {}
    while time.monotonic() < deadline:
        if child.poll() is not None:
            sys.exit(f"exporter exited with status {child.returncode}; see {log}")
        try:
            _, body = fetch(url, timeout=2)
            if not answer:
                answer = {"first_answer_ms": (time.monotonic() - started) * 1000, "first_answer_bytes": len(body),
                          "first_answer_has_instances": INSTANCE_MARKER in body}
            if INSTANCE_MARKER in body:
                result = {**answer, "first_metrics_ms": (time.monotonic() - started) * 1000}
                values = self_metrics(body)
                for name in ("libvirt", "conntrack", "collectors"):
                    result[f"first_{name}_ms"] = stage(values, name) * 1000
                return result
        except OSError:
            pass
        time.sleep(0.002)
    sys.exit("no /metrics with instance data within 120 s")


def driver(node):
    """What the in-process test driver costs, apart from any exporter: it parses the node file and keeps every domain
    in the caller's memory (a real node keeps them in libvirtd instead)."""
    import ctypes
    libvirt = ctypes.CDLL("libvirt.so.0")
    libvirt.virConnectOpenReadOnly.restype = ctypes.c_void_p
    libvirt.virConnectOpenReadOnly.argtypes = [ctypes.c_char_p]
    libvirt.virConnectNumOfDomains.argtypes = [ctypes.c_void_p]
    before_rss, before_cpu = rss_kib(os.getpid()), time.process_time()
    connection = libvirt.virConnectOpenReadOnly(f"test://{os.path.abspath(node)}".encode())
    if not connection:
        sys.exit(f"cannot open the test driver on {node}")
    domains = libvirt.virConnectNumOfDomains(connection)
    return {"domains": domains, "rss_kib": rss_kib(os.getpid()) - before_rss,
            "open_cpu_seconds": time.process_time() - before_cpu}


def self_metrics(body):
    """The oie_exporter_* samples this cycle logic needs, as {name or name{labels}: value}."""
    wanted = (b"oie_exporter_collection_duration_seconds", b"oie_exporter_collection_allocated_bytes",
              b"oie_exporter_last_successful_collection_timestamp_seconds", b"oie_conntrack_entries ",
              b"oie_exporter_collector_success", b"oie_exporter_collector_duration_seconds")
    values = {}
    for line in body.split(b"\n"):
        if line.startswith(wanted):
            key, _, value = line.rpartition(b" ")
            values[key.decode()] = float(value)
    return values


def stage(values, name):
    """A stage's duration; "conntrack" is the table's read + parse + attribute (its own stage) plus the threat-contact
    matching (the threat_contacts collector, timed within the collectors stage)."""
    seconds = values.get(f'oie_exporter_collection_duration_seconds{{stage="{name}"}}', 0.0)
    if name == "conntrack":
        seconds += values.get('oie_exporter_collector_duration_seconds{collector="threat_contacts"}', 0.0)
    return seconds


CYCLE_STAGES = ("libvirt", "zones", "collectors", "render", "gc")


def cycles(url, pid, count, daemon=None):
    """A cycle is seen when the libvirt/collectors stage durations change (they are set during the cycle, before its
    render). Render and allocated bytes are set after the render, so a body shows the previous cycle's: they are
    sampled the same way and are a distribution over cycles all the same."""
    seen, last_key, rss, daemon_rss = [], None, [], []
    started_cpu, started_at = cpu_seconds(pid), time.monotonic()
    daemon_cpu = daemon and cpu_seconds(daemon)
    deadline = started_at + 600
    while len(seen) < count + 1 and time.monotonic() < deadline:
        try:
            _, body = fetch(url, gz=True)
        except OSError as error:
            gone = not os.path.exists(f"/proc/{pid}")
            sys.exit(f"exporter {'PID ' + str(pid) + ' is gone' if gone else 'did not answer'}: {error}")
        rss.append(rss_kib(pid))  # at every poll: a single figure after the cycles may catch a GC's high or low
        if daemon:
            daemon_rss.append(rss_kib(daemon))
        values = self_metrics(body)
        key = (stage(values, "libvirt"), stage(values, "collectors"))
        if key != last_key and key != (0.0, 0.0):
            last_key = key
            seen.append(values)
        time.sleep(0.02)
    elapsed, cpu = time.monotonic() - started_at, cpu_seconds(pid) - started_cpu
    seen = seen[1:]  # the first observation may be a cycle that ended before we started watching
    if not seen:
        sys.exit("no collection cycle observed")
    ms = lambda name: [stage(v, name) * 1000 for v in seen]
    # conntrack's read is a stage of its own; the contact matching it adds is inside collectors already.
    total = [(sum(stage(v, s) for s in CYCLE_STAGES) +
              v.get('oie_exporter_collection_duration_seconds{stage="conntrack"}', 0.0)) * 1000 for v in seen]
    allocated = [v.get("oie_exporter_collection_allocated_bytes", 0.0) for v in seen]
    summary = {"cycles": len(seen), "rss_kib": rss_kib(pid), "rss_kib_p50": statistics.median(rss),
               "rss_kib_max": max(rss), "rss_samples": len(rss), "cpu_per_second": cpu / elapsed,
               "entries": seen[-1].get("oie_conntrack_entries ", seen[-1].get("oie_conntrack_entries", 0)),
               "conntrack_ok": all(v.get('oie_exporter_collector_success{collector="conntrack"}', 0) == 1 for v in seen),
               "allocated_bytes_p50": statistics.median(allocated), "allocated_bytes_max": max(allocated)}
    if daemon:
        summary["libvirtd_rss_kib"] = rss_kib(daemon)
        summary["libvirtd_rss_kib_p50"] = statistics.median(daemon_rss)
        summary["libvirtd_rss_kib_max"] = max(daemon_rss)
        summary["libvirtd_cpu_per_second"] = (cpu_seconds(daemon) - daemon_cpu) / elapsed
    for name, values in [("total", total)] + [(s, ms(s)) for s in ("libvirt", "conntrack", "collectors", "render", "gc")]:
        summary[f"{name}_ms_p50"] = statistics.median(values)
        summary[f"{name}_ms_p99"] = percentile(values, 99)
    return summary


def sizes(url):
    plain, _ = fetch(url)
    compressed, body = fetch(url, gz=True)
    return {"bytes_plain": len(plain), "bytes_gzip": len(compressed), "lines": body.count(b"\n")}


def parse_ab(path, cpu_before, cpu_after):
    result = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if line.startswith("Complete requests:"):
                result["requests"] = int(parts[2])
            elif line.strip().startswith("(Connect:"):
                # ab counts a body whose length differs from the first one's as failed: ours changes every cycle
                counts = dict(item.split(": ") for item in line.strip().strip("()").split(", "))
                result["failed"] = result.get("failed", 0) + sum(int(v) for k, v in counts.items() if k != "Length")
            elif line.startswith("Non-2xx responses:"):
                result["failed"] = result.get("failed", 0) + int(parts[2])
            elif line.startswith("Requests per second:"):
                result["per_second"] = float(parts[3])
            elif line.startswith("Time taken for tests:"):
                result["seconds"] = float(parts[4])
            elif line.startswith("Time per request:") and "(mean)" in line and "across" not in line:
                result["mean_ms"] = float(parts[3])
            elif line.strip().startswith(("50%", "99%")):
                result[f"p{parts[0][:-1]}_ms"] = float(parts[1])
    before, after = json.loads(cpu_before), json.loads(cpu_after)
    result["cpu_seconds"] = after["cpu"] - before["cpu"]
    result["cpu_per_request"] = result["cpu_seconds"] / max(1, result.get("requests", 0))
    if "daemon_cpu" in before:
        daemon_cpu = after["daemon_cpu"] - before["daemon_cpu"]
        result["libvirtd_cpu_per_request"] = daemon_cpu / max(1, result.get("requests", 0))
    return result


def parse_bursts(cpu_before, cpu_after, files):
    """`ab -g` writes one line per request; ttime is its total time in whole milliseconds."""
    times, failed = [], 0
    for path in files:
        with open(path) as f:
            header = f.readline().split("\t")
            column = [h.strip() for h in header].index("ttime")
            times += [float(line.split("\t")[column]) for line in f if line.strip()]
    before, after = json.loads(cpu_before), json.loads(cpu_after)
    return {"bursts": len(files), "requests": len(times), "p50_ms": statistics.median(times),
            "p99_ms": percentile(times, 99), "max_ms": max(times), "cpu_seconds": after["cpu"] - before["cpu"],
            "seconds": after["at"] - before["at"]}


def load(directory, name):
    path = os.path.join(directory, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def fmt(value, unit="", digits=1):
    if value is None:
        return "—"
    if unit == " ms" and digits == 0 and value == 0:
        return "<1 ms"  # ab reports whole milliseconds
    return f"{value:,.{digits}f}{unit}"


def ratio(peer, ours):
    if peer is None or ours is None or ours <= 0:
        return "—"
    return f"{peer / ours:,.0f}×" if peer / ours >= 10 else f"{peer / ours:,.1f}×"


def exporter_rows(directory, meta):
    modes, daemon = meta["modes"], meta.get("libvirt", "driver") == "daemon"
    runs = {mode: load(directory, f"{mode}-cycles") for mode in modes}
    starts = {mode: load(directory, f"{mode}-start") for mode in modes}
    size = {mode: load(directory, f"{mode}-sizes") for mode in modes}
    driver = load(directory, "test-driver")
    header = "| | " + " | ".join(f"`{m}`" for m in modes) + " |\n|---|" + "---:|" * len(modes)
    rows = [header]

    def row(label, get):
        rows.append(f"| {label} | " + " | ".join(get(m) for m in modes) + " |")

    c = lambda m, k, unit=" ms", d=0: fmt((runs[m] or {}).get(k), unit, d)
    row("cycles observed", lambda m: c(m, "cycles", ""))
    row("conntrack entries per cycle", lambda m: c(m, "entries", ""))
    row("cycle total (libvirt + zones + conntrack + collectors + render + gc), p50 / p99",
        lambda m: f"{c(m, 'total_ms_p50')} / {c(m, 'total_ms_p99')}")
    row("&nbsp;&nbsp;conntrack stage (read + parse + attribute + match), p50 / p99",
        lambda m: f"{c(m, 'conntrack_ms_p50')} / {c(m, 'conntrack_ms_p99')}")
    where = "test driver in libvirtd over its socket" if daemon else "in-process test driver"
    row(f"&nbsp;&nbsp;libvirt stage ({meta['instances']:,} domains, {where}), p50 / p99",
        lambda m: f"{c(m, 'libvirt_ms_p50')} / {c(m, 'libvirt_ms_p99')}")
    row("&nbsp;&nbsp;collectors stage (every collector, threat contacts included), p50 / p99",
        lambda m: f"{c(m, 'collectors_ms_p50')} / {c(m, 'collectors_ms_p99')}")
    row("&nbsp;&nbsp;render (exposition + gzip), p50 / p99",
        lambda m: f"{c(m, 'render_ms_p50')} / {c(m, 'render_ms_p99')}")
    if any((runs[m] or {}).get("gc_ms_p50") for m in modes):
        row("&nbsp;&nbsp;gc (the full heap collection after the render), p50 / p99",
            lambda m: f"{c(m, 'gc_ms_p50')} / {c(m, 'gc_ms_p99')}")
    row("heap allocated per cycle, p50 (max)",
        lambda m: f"{fmt((runs[m] or {}).get('allocated_bytes_p50', 0) / 2**20, ' MiB')} "
                  f"({fmt((runs[m] or {}).get('allocated_bytes_max', 0) / 2**20, ' MiB')})")
    row("CPU while idle between scrapes (cycles only)", lambda m: fmt((runs[m] or {}).get("cpu_per_second"), " s/s", 2))
    mib = lambda m, k, prefix="": fmt(((runs[m] or {}).get(prefix + k) or 0) / 1024 or None, " MiB")
    if any((runs[m] or {}).get("rss_kib_p50") for m in modes):
        row("steady RSS during the cycles (VmRSS at every poll), median / max",
            lambda m: f"{mib(m, 'rss_kib_p50')} / {mib(m, 'rss_kib_max')}")
        row("&nbsp;&nbsp;VmRSS right after the cycles", lambda m: mib(m, "rss_kib"))
    else:  # results of an older scale.py
        row("steady RSS after the cycles (VmRSS)", lambda m: mib(m, "rss_kib"))
    if driver:
        row(f"&nbsp;&nbsp;of which the in-process libvirt test driver holding the node (measured alone)",
            lambda m: fmt(driver["rss_kib"] / 1024, " MiB"))
    if daemon and any((runs[m] or {}).get("libvirtd_rss_kib_p50") for m in modes):
        row("libvirtd serving the node (not in the exporter): VmRSS during the cycles, median / max; after them; "
            "CPU during them",
            lambda m: f"{mib(m, 'rss_kib_p50', 'libvirtd_')} / {mib(m, 'rss_kib_max', 'libvirtd_')}; "
                      f"{mib(m, 'rss_kib', 'libvirtd_')}; {fmt((runs[m] or {}).get('libvirtd_cpu_per_second'), ' s/s', 2)}")
    elif daemon:
        row("libvirtd serving the node (not in the exporter): VmRSS after the cycles / CPU during them",
            lambda m: f"{mib(m, 'rss_kib', 'libvirtd_')} / "
                      f"{fmt((runs[m] or {}).get('libvirtd_cpu_per_second'), ' s/s', 2)}")
    row("first /metrics answered after start (self metrics only: `oie_exporter_*`, `process_*`, `dotnet_*`)",
        lambda m: fmt((starts[m] or {}).get("first_answer_ms"), " ms", 0)
        + (" (with instances)" if (starts[m] or {}).get("first_answer_has_instances") else ""))
    row("first /metrics with instance data after start", lambda m: fmt((starts[m] or {}).get("first_metrics_ms"), " ms", 0))
    opening = "incl. libvirtd's test driver parsing the node for the new connection" if daemon \
        else "incl. opening the test driver"
    row(f"&nbsp;&nbsp;first cycle: libvirt stage ({opening}) / conntrack stage",
        lambda m: f"{fmt((starts[m] or {}).get('first_libvirt_ms'), ' ms', 0)} / "
                  f"{fmt((starts[m] or {}).get('first_conntrack_ms'), ' ms', 0)}")
    row("bytes per scrape, plain / gzip",
        lambda m: f"{fmt((size[m] or {}).get('bytes_plain'), '', 0)} / {fmt((size[m] or {}).get('bytes_gzip'), '', 0)}")
    return rows


def scrape_rows(directory, mode, daemon):
    ours_gz, ours_plain = load(directory, f"{mode}-ab-gzip"), load(directory, f"{mode}-ab-plain")
    ours_idle = (load(directory, f"{mode}-cycles") or {}).get("cpu_per_second", 0.0)
    peer_gz, peer_one = load(directory, "peer-ab-gzip"), load(directory, "peer-ab-one")
    driver = load(directory, "test-driver")
    scrapers = [(phase, load(directory, f"{mode}-scrapers-{phase}")) for phase in ("spread", "aligned")]
    scrapers = [(phase, run) for phase, run in scrapers if run]
    has_peer = peer_gz is not None or peer_one is not None
    title = "scrapes of /metrics (`ab`: a new connection each, back to back unless bursts" + \
            ("; Prometheus-like scrapers: each its own keep-alive connection, on a schedule)" if scrapers else ")")
    rows = [f"| {title} | ours | peer | peer / ours |", "|---|---:|---:|---:|"]

    def net_cpu(run, idle):
        if not run or "seconds" not in run:
            return None
        return max(0.0, run["cpu_seconds"] - idle * run["seconds"]) / max(1, run["requests"])

    def ms(value):  # the scrapers measure to the microsecond: sub-millisecond figures keep their digits
        return fmt(value, " ms", 2 if value is not None and value < 10 else 0)

    def latency(label, ours, peer):
        for p in ("p50_ms", "p99_ms"):
            o, q = (ours or {}).get(p), (peer or {}).get(p)
            rows.append(f"| {label}, {p[:3]} | {fmt(o, ' ms', 0)} | {fmt(q, ' ms', 0)} | {ratio(q, o)} |")

    conc = (ours_gz or {}).get("concurrency", 50)
    latency(f"{conc} concurrent, gzip", ours_gz, peer_gz)
    rows.append(f"| {conc} concurrent, gzip, throughput | {fmt((ours_gz or {}).get('per_second'), '/s', 0)} | "
                f"{fmt((peer_gz or {}).get('per_second'), '/s', 1)} | |")
    bursts = load(directory, f"{mode}-bursts")
    if bursts:
        latency(f"{conc} at once, gzip, {bursts['bursts']} bursts 1 s apart", bursts, None)
    for phase, run in scrapers:
        how = "spread phases (a fixed random offset each)" if phase == "spread" else "aligned (all at once)"
        rows.append(f"| {run['scrapers']} Prometheus-like scrapers, keep-alive, gzip, each every {run['interval']:g} s "
                    f"for {run['duration']:g} s, {how}, p50 / p99 / max | {ms(run.get('p50_ms'))} / "
                    f"{ms(run.get('p99_ms'))} / {ms(run.get('max_ms'))} | — | — |")
    if scrapers:
        phases = " / ".join(phase for phase, _ in scrapers)
        rate = scrapers[0][1]["scrapers"] / scrapers[0][1]["interval"]
        rows.append(f"| &nbsp;&nbsp;exporter CPU per scrape over the run ({phases}), raw: incl. the background cycles, "
                    f"most of it at {rate:,.0f} scrapes/s (a scrape's own cost: the `ab` rows) | "
                    + " / ".join(fmt(run.get("cpu_ms_per_scrape"), "", 2) for _, run in scrapers) + " ms | — | |")
        rows.append(f"| &nbsp;&nbsp;scrapes made / failed or non-200 / skipped as the scraper's previous one still ran "
                    f"({phases}) | " + "; ".join(f"{fmt(run.get('count'), '', 0)} / {fmt(run.get('failures'), '', 0)} / "
                                                 f"{fmt(run.get('skipped'), '', 0)}" for _, run in scrapers) + " | — | |")
    latency(f"{conc} concurrent, plain", ours_plain, None)
    latency("1 at a time, gzip", load(directory, f"{mode}-ab-one"), peer_one)
    o, q = net_cpu(ours_gz, ours_idle), net_cpu(peer_gz, 0.0)
    rows.append(f"| CPU per scrape, gzip (ours: less the background cycles' rate) | {fmt(o and o * 1000, ' ms', 2)} | "
                f"{fmt(q and q * 1000, ' ms', 0)} | {ratio(q, o)} |")
    o = ours_gz and ours_gz["cpu_per_request"]
    rows.append(f"| CPU per scrape, gzip, raw (ours incl. background cycles) | {fmt(o and o * 1000, ' ms', 2)} | "
                f"{fmt(q and q * 1000, ' ms', 0)} | {ratio(q, o)} |")
    failed = lambda r: "—" if r is None else \
        fmt(r.get("failed", 0), "", 0) + f" of {fmt(r.get('requests'), '', 0)}"
    rows.append(f"| failed or non-2xx scrapes ({conc} concurrent, gzip) | {failed(ours_gz)} | {failed(peer_gz)} | |")
    if daemon:
        o, q = ((r or {}).get("libvirtd_cpu_per_request") for r in (ours_gz, peer_gz))
        rows.append("| libvirtd CPU per scrape, gzip (ours: its share of the background cycles; the peer connects per "
                    "scrape, and the test driver parses the node file per connection) | "
                    f"{fmt(o and o * 1000, ' ms', 2)} | {fmt(q and q * 1000, ' ms', 0)} | |")
    if driver and has_peer:
        rows.append(f"| opening the test driver on the node file (CPU, measured alone; the peer does it per scrape) | | "
                    f"{fmt(driver['open_cpu_seconds'] * 1000, ' ms', 0)} | |")
    return rows


def report(directory):
    with open(os.path.join(directory, "meta.json")) as f:
        meta = json.load(f)
    modes = meta["modes"]
    interval = f", collection every {meta['interval']}" if meta.get("interval") else ""
    lines = [f"### Scale run: {meta['instances']:,} instances, {meta['flows']:,} flows, all four feeds{interval}",
             "", f"`{meta['command']}` — {meta['when']}, {meta['machine']}", "",
             *exporter_rows(directory, meta), "", *scrape_rows(directory, modes[0], meta.get("libvirt") == "daemon"),
             ""]
    print("\n".join(lines))


def problems(directory):
    """What a finished run's results say went wrong; empty when the run measured what it meant to."""
    meta = load(directory, "meta")
    if meta is None:
        return ["no meta.json"]
    found = []

    def need(name):
        result = load(directory, name)
        if result is None:
            found.append(f"{name}.json missing")
        return result or {}

    for mode in meta["modes"]:
        cycles = need(f"{mode}-cycles")
        if not cycles.get("conntrack_ok") or cycles.get("entries") != meta["flows"]:
            found.append(f"{mode}: conntrack read {cycles.get('entries')} of {meta['flows']} flows "
                         f"(ok: {cycles.get('conntrack_ok')})")
        if not cycles.get("total_ms_p50"):
            found.append(f"{mode}: no cycle durations")
        start = need(f"{mode}-start")
        if not start.get("first_answer_ms") or not start.get("first_metrics_ms"):
            found.append(f"{mode}: no first /metrics, or none with instance series")
        size = need(f"{mode}-sizes")
        if not 0 < size.get("bytes_gzip", 0) < size.get("bytes_plain", 0):
            found.append(f"{mode}: bytes per scrape plain {size.get('bytes_plain')} / gzip {size.get('bytes_gzip')}")
    first = meta["modes"][0]
    for name in (f"{first}-ab-gzip", f"{first}-ab-plain", f"{first}-ab-one", "peer-ab-gzip", "peer-ab-one"):
        ab = load(directory, name) if name.startswith("peer") else need(name)
        if ab is not None and (ab.get("failed", 0) != 0 or not ab.get("requests")):
            found.append(f"{name}: {ab.get('failed', 0)} failed of {ab.get('requests')}")
    for phase in ("spread", "aligned"):
        run = load(directory, f"{first}-scrapers-{phase}")
        if run is not None and (run["failures"] != 0 or run["count"] == 0):
            found.append(f"{first}-scrapers-{phase}: {run['failures']} failed of {run['count']}")
    return found


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command == "check":
        found = problems(args[0])
        for problem in found:
            print(problem, file=sys.stderr)
        sys.exit(1 if found else 0)
    if command == "launch":
        url, pidfile, log, rest = args[0], args[1], args[2], args[3:]
        result = launch(url, pidfile, log, rest[1:] if rest and rest[0] == "--" else rest)
    elif command == "cycles":
        result = cycles(args[0], int(args[1]), int(args[2]), int(args[3]) if len(args) > 3 else None)
    elif command == "driver":
        result = driver(args[0])
    elif command == "sizes":
        result = sizes(args[0])
    elif command == "cpu":
        result = {"cpu": cpu_seconds(int(args[0])), "at": time.monotonic()}
        if len(args) > 1:
            result["daemon_cpu"] = cpu_seconds(int(args[1]))
    elif command == "ab":
        result = parse_ab(args[0], args[1], args[2])
        if len(args) > 3:
            result["concurrency"] = int(args[3])
    elif command == "bursts":
        result = parse_bursts(args[0], args[1], args[2:])
    elif command == "report":
        report(args[0])
        return
    else:
        sys.exit(f"unknown command {command}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
