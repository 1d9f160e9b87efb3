#!/usr/bin/env python3
"""Turn the harness's `conntrack -L -o extended` capture into a `conntrack -R` batch that inserts the same flows into
a kernel table: one `-I` line per entry (original tuple, protocol, TCP state, ASSURED/SEEN_REPLY), with a day's
timeout so that nothing expires during a run. The kernel refuses a second entry with the same original tuple and
`conntrack -R` stops at the first refusal, so duplicates (the generator draws ports at random) are left out; the
kernel sets counters itself, so packets/bytes are not carried over.

usage: ct_restore.py CAPTURE > BATCH"""
import sys

TIMEOUT = 86400


def batch_line(fields):
    proto = fields[2]
    rest = fields[6:] if proto == "tcp" else fields[5:]
    orig = {}
    for field in rest:
        if field.startswith("["):
            continue
        key, _, value = field.partition("=")
        if key in orig:  # the reply tuple starts
            break
        orig[key] = value
    args = ["-I", "-s", orig["src"], "-d", orig["dst"], "-p", proto]
    if proto in ("tcp", "udp"):
        args += ["--sport", orig["sport"], "--dport", orig["dport"]]
        key = (proto, orig["src"], orig["dst"], orig["sport"], orig["dport"])
    else:  # icmp / icmpv6: an echo request, the only type the kernel tracks both ways
        option = "--icmpv6" if proto == "icmpv6" else "--icmp"
        args += [f"{option}-type", "128" if proto == "icmpv6" else "8", f"{option}-code", "0", f"{option}-id", orig["id"]]
        key = (proto, orig["src"], orig["dst"], orig["id"])
    if proto == "tcp":
        args += ["--state", fields[5]]
    if "[ASSURED]" in fields:
        args += ["-u", "SEEN_REPLY,ASSURED"]
    args += ["-t", str(TIMEOUT)]
    return key, " ".join(args)


def main():
    seen = set()
    with open(sys.argv[1]) as capture:
        out = sys.stdout
        for line in capture:
            key, text = batch_line(line.split())
            if key in seen:
                continue
            seen.add(key)
            out.write(text + "\n")


if __name__ == "__main__":
    main()
