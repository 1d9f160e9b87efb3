using Oie.Abstractions;
using Oie.Feeds.Tor;

namespace Oie.Feeds.Tor.Tests;

/// <summary>The Tor feed against what every feed must do, with its fixtures.</summary>
public sealed class TorConformance : FeedConformance<TorFeed, TorConformance>, IFeedCases
{
    public static TheoryData<string, string[], int> RealisticFixtures => new()
    {
        // Every relay's OR and exit addresses, both families; the bridge (10.180.64.12) is not an exit.
        {
            "onionoo-details.json",
            [
                "45.141.215.169", "185.220.101.1", "185.220.101.33", "192.42.116.16", "192.42.116.17", "204.8.96.92",
                "2001:67c:e60:c0c:192:42:116:16", "2001:67c:e60:c0c:192:42:116:17", "2a0b:f4c2:2::1",
            ],
            0
        },
        // The default URL's document has only OR addresses.
        { "onionoo-details-default-fields.json", ["185.220.101.1", "204.8.96.92", "2a0b:f4c2:2::1"], 0 },
    };

    public static TheoryData<string, string> FlagsWithDefaults => new()
    {
        { "tor.url", "\"https://onionoo.torproject.org/details?search=flag:exit&fields=or_addresses\"" },
        { "tor.refresh", "1h0m0s" },
    };

    public static TheoryData<string, string, string?> BadArguments => new()
    {
        { "-tor.url=ftp://mirror.example/tor.json", "-tor.url", "unsupported scheme \"ftp\"" },
        { "-tor.url=onionoo.torproject.org/details", "-tor.url", "not a URL or a file path" },
        { "-tor.url=", "-tor.url", "want an http://" },
        { "-tor.url=file://otherhost/tor.json", "-tor.url", "local file" },
        { "-tor.refresh=0s", "-tor.refresh", "greater than zero" },
        { "-tor.refresh=hourly", "-tor.refresh", "parse error" },
    };

    protected override FeedDescriptor ExpectedDescriptor => new(
        "tor", "oie_tor_contact", "1 if this instance communicated with a Tor exit node during the collection interval",
        [new Uri("https://onionoo.torproject.org/details?search=flag:exit&fields=or_addresses")], TimeSpan.FromHours(1));

    /// <summary>Not a JSON document: one invalid entry, whatever its lines.</summary>
    protected override int ErrorPageInvalid => 1;

    protected override int? GarbageInvalid => 1;

    protected override string[] FuzzSeeds => ["onionoo-details.json", "onionoo-details-default-fields.json"];
}
