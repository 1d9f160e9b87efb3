#!/usr/bin/env python3
"""Write the harness's conntrack capture and threat feeds into DIR (deterministic: fixed seed).

  DIR/conntrack.txt            `conntrack -L -o extended` lines, FLOWS of them (75 % IPv4; 60 % tcp / 35 % udp /
                               5 % icmp; ~30 % touching one of the instances' fixed IPs as source or destination, a
                               few hundred of those with a feed-listed remote; accounting on)
  DIR/conntrack-ipv4.txt,      the same entries split by family, for the fake tool (`-f ipv4` / `-f ipv6`)
  DIR/conntrack-ipv6.txt
  DIR/feeds/onionoo-details.json  Onionoo details document, ~2,000 exit relays (or_addresses + exit_addresses)
  DIR/feeds/drop.txt, dropv6.txt  Spamhaus DROP, ~1,500 IPv4 and ~100 IPv6 CIDRs
  DIR/feeds/compromised-ips.txt   EmergingThreats, ~1,000 addresses
  DIR/feeds/custom-ips.txt        operator list, ~500 addresses (IPv4 and IPv6)

usage: gen_data.py DIR INSTANCES FLOWS   (fixed IPs as in gen_node.py: NIC n of instance i has
10.n.(i // 250).(5 + i % 250) and fd0n::(i + 5 in hex))"""
import ipaddress
import json
import os
import random
import sys

NICS = 2


def fixed_ips(i, nic):
    return f"10.{nic}.{(i // 250) % 256}.{5 + i % 250}", f"fd0{nic}::{i + 5:x}"


def public_v4(r):
    while True:
        a = r.getrandbits(32)
        first = a >> 24
        if 1 <= first <= 223 and first not in (10, 127):
            return str(ipaddress.IPv4Address(a))


def public_v6(r):
    return str(ipaddress.IPv6Address((0x2001_0db8 << 96) | r.getrandbits(96)))


class Feeds:
    """The four lists, and a sample of listed addresses that flows can hit."""

    def __init__(self, r):
        self.tor_v4 = sorted({public_v4(r) for _ in range(2000)})
        self.tor_v6 = sorted({public_v6(r) for _ in range(300)})
        self.drop_v4 = sorted({self._v4_cidr(r) for _ in range(1500)})
        self.drop_v6 = sorted({f"{ipaddress.IPv6Address((0x2a00 << 112) | (r.getrandbits(20) << 92))}/"
                               f"{r.choice([29, 32, 32, 36, 48])}" for _ in range(100)})
        self.et = sorted({public_v4(r) for _ in range(1000)})
        self.custom = sorted({public_v4(r) for _ in range(450)} | {public_v6(r) for _ in range(50)})
        hosts = [str(next(ipaddress.ip_network(c, strict=False).hosts())) for c in self.drop_v4[:200]]
        self.hits_v4 = self.tor_v4[:100] + hosts + self.et[:100] + [a for a in self.custom if ":" not in a][:50]
        self.hits_v6 = self.tor_v6[:30] + [a for a in self.custom if ":" in a][:20]

    @staticmethod
    def _v4_cidr(r):
        length = r.choice([16, 18, 19, 20, 21, 22, 22, 23, 24, 24, 24, 24])
        return str(ipaddress.ip_network((public_v4(r), length), strict=False))

    def write(self, d):
        os.makedirs(d, exist_ok=True)
        relays = [{"or_addresses": [f"{a}:9001"] + ([f"[{self.tor_v6[k]}]:9001"] if k < len(self.tor_v6) else []),
                   "exit_addresses": [a]} for k, a in enumerate(self.tor_v4)]
        with open(f"{d}/onionoo-details.json", "w") as f:
            json.dump({"version": "8.0", "relays_published": "2026-11-27 20:00:00", "relays": relays,
                       "bridges_published": "2026-11-27 19:41:03", "bridges": []}, f)
        with open(f"{d}/drop.txt", "w") as f:
            f.write("; Spamhaus DROP List 2026/11/27 - (c) 2026 The Spamhaus Project SLS\n")
            f.writelines(f"{c} ; SBL{100000 + k}\n" for k, c in enumerate(self.drop_v4))
        with open(f"{d}/dropv6.txt", "w") as f:
            f.write("; Spamhaus DROPv6 List 2026/11/27 - (c) 2026 The Spamhaus Project SLS\n")
            f.writelines(f"{c} ; SBL{200000 + k}\n" for k, c in enumerate(self.drop_v6))
        with open(f"{d}/compromised-ips.txt", "w") as f:
            f.write("# EmergingThreats compromised hosts\n")
            f.writelines(f"{a}\n" for a in self.et)
        with open(f"{d}/custom-ips.txt", "w") as f:
            f.write("# operator list\n")
            f.writelines(f"{a}\n" for a in self.custom)


def entry(r, feeds, v4s, v6s):
    v6 = r.random() < 0.25
    touch = r.random()
    if touch < 0.30:
        local = r.choice(v6s if v6 else v4s)
        if r.random() < 0.002:
            remote = r.choice(feeds.hits_v6 if v6 else feeds.hits_v4)
        else:
            remote = public_v6(r) if v6 else public_v4(r)
        src, dst = (local, remote) if touch < 0.18 else (remote, local)
    else:
        src, dst = (public_v6(r), public_v6(r)) if v6 else (public_v4(r), public_v4(r))
    p = r.random()
    proto, number = ("tcp", 6) if p < 0.60 else ("udp", 17) if p < 0.95 else ("icmpv6", 58) if v6 else ("icmp", 1)
    family = "ipv6     10 " if v6 else "ipv4     2 "
    head = f"{family}{proto:<8} {number} "
    if number == 6:
        head += f"{r.randrange(431999)} {'ESTABLISHED' if r.random() < 0.8 else 'TIME_WAIT'} "
    else:
        head += f"{r.randrange(180)} "
    replied = r.random() < 0.8
    sport = r.randrange(1024, 65536)
    dport = 53 if number == 17 else 443

    def tuple_(a, b, sp, dp):
        ports = f"type=8 code=0 id={sport} " if number in (1, 58) else f"sport={sp} dport={dp} "
        return f"src={a} dst={b} {ports}packets={r.randrange(1, 5000)} bytes={r.randrange(60, 5_000_000)} "

    line = head + tuple_(src, dst, sport, dport) + ("" if replied else "[UNREPLIED] ")
    line += tuple_(dst, src, dport, sport) + ("[ASSURED] " if replied else "")
    return v6, line + f"mark=0 use=1\n"


def main():
    out, instances, flows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    r = random.Random(20261127)
    feeds = Feeds(r)
    feeds.write(f"{out}/feeds")
    v4s = [fixed_ips(i, n)[0] for i in range(instances) for n in range(NICS)]
    v6s = [fixed_ips(i, n)[1] for i in range(instances) for n in range(NICS)]
    with open(f"{out}/conntrack.txt", "w") as every, open(f"{out}/conntrack-ipv4.txt", "w") as f4, \
            open(f"{out}/conntrack-ipv6.txt", "w") as f6:
        for _ in range(flows):
            v6, line = entry(r, feeds, v4s, v6s)
            every.write(line)
            (f6 if v6 else f4).write(line)


if __name__ == "__main__":
    main()
