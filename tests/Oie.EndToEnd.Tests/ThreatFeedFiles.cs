namespace Oie.EndToEnd.Tests;

/// <summary>
/// Local lists for all four threat feeds, each listing the guest's peer address 10.0.0.1 (the custom list as an address,
/// Onionoo as an exit's OR address, Spamhaus DROP as its /24, EmergingThreats as an address), so every contact metric
/// — and any dashboard panel on them — has data. Passed as file paths / file:// URLs: no network.
/// </summary>
internal static class ThreatFeedFiles
{
    public static string[] Flags(RunDirectory run)
    {
        var peer = ConntrackNamespace.PeerAddress;
        var custom = run.Write("custom-ips.txt", $"# e2e peer\n{peer}\n");
        var onionoo = run.Write("onionoo-details.json",
            $$"""{"version":"8.0","relays_published":"2026-11-27 20:00:00","relays":[{"or_addresses":["{{peer}}:9001"]},{"or_addresses":["192.42.116.16:443"]}],"bridges_published":"2026-11-27 19:41:03","bridges":[]}""");
        var drop = run.Write("drop.txt", "; Spamhaus DROP List\n10.0.0.0/24 ; SBL000001\n1.0.0.0/8 ; SBL000002\n");
        var dropv6 = run.Write("dropv6.txt", "; Spamhaus DROPv6 List\n2a0e:1c80::/29 ; SBL000003\n");
        var et = run.Write("compromised-ips.txt", $"# EmergingThreats compromised hosts\n{peer}\n203.0.113.77\n");
        return
        [
            "-customlist.enable", $"-customlist.path={custom}",
            "-tor.enable", $"-tor.url=file://{onionoo}",
            "-spamhaus.enable", $"-spamhaus.url=file://{drop}", $"-spamhaus.ipv6.url=file://{dropv6}",
            "-emergingthreats.enable", $"-emergingthreats.url=file://{et}",
            "-feeds.cache-dir=",
        ];
    }
}
