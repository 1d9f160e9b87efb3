using Oie.Abstractions;
using Oie.Feeds.Spamhaus;

namespace Oie.Feeds.Spamhaus.Tests;

/// <summary>The Spamhaus DROP feed against what every feed must do, with its fixtures in both forms.</summary>
public sealed class SpamhausConformance : FeedConformance<SpamhausFeed, SpamhausConformance>, IFeedCases
{
    public static TheoryData<string, string[], int> RealisticFixtures => new()
    {
        // Every CIDR, whatever its length.
        {
            "drop.txt",
            [
                "1.10.16.0-1.10.31.255", "1.19.0.0-1.19.255.255", "2.56.192.0-2.56.195.255", "5.134.128.0-5.134.159.255",
                "27.112.32.0-27.112.63.255", "45.8.220.0-45.8.223.255", "100.64.0.0-100.127.255.255", "223.254.0.0-223.255.255.255",
            ],
            0
        },
        {
            "dropv6.txt",
            [
                "2001:678:738::-2001:678:738:ffff:ffff:ffff:ffff:ffff",
                "2a06:5280::-2a06:5287:ffff:ffff:ffff:ffff:ffff:ffff",
                "2a0d:8340::-2a0d:8347:ffff:ffff:ffff:ffff:ffff:ffff",
                "2a14:7580:9000::-2a14:7580:9fff:ffff:ffff:ffff:ffff:ffff",
            ],
            0
        },
        // The JSON-lines form gives the same ranges and skips the metadata line.
        {
            "drop_v4.json",
            ["1.10.16.0-1.10.31.255", "1.19.0.0-1.19.255.255", "2.56.192.0-2.56.195.255", "100.64.0.0-100.127.255.255"],
            0
        },
        { "drop_v6.json", ["2001:678:738::-2001:678:738:ffff:ffff:ffff:ffff:ffff", "2a06:5280::-2a06:5287:ffff:ffff:ffff:ffff:ffff:ffff"], 0 },
    };

    public static TheoryData<string, string> FlagsWithDefaults => new()
    {
        { "spamhaus.url", "\"https://www.spamhaus.org/drop/drop.txt\"" },
        { "spamhaus.ipv6.url", "\"https://www.spamhaus.org/drop/dropv6.txt\"" },
        { "spamhaus.refresh", "6h0m0s" },
    };

    public static TheoryData<string, string, string?> BadArguments => new()
    {
        { "-spamhaus.url=ftp://ftp.example/drop.txt", "-spamhaus.url", null },
        { "-spamhaus.url=", "-spamhaus.url", null },
        { "-spamhaus.ipv6.url=gopher://x/dropv6.txt", "-spamhaus.ipv6.url", null },
        { "-spamhaus.refresh=-1h", "-spamhaus.refresh", null },
    };

    /// <summary>With the defaults, both lists.</summary>
    protected override FeedDescriptor ExpectedDescriptor => new(
        "spamhaus", "oie_spamhaus_contact", "1 if this instance communicated with a Spamhaus DROP-listed IP during the collection interval",
        [new Uri("https://www.spamhaus.org/drop/drop.txt"), new Uri("https://www.spamhaus.org/drop/dropv6.txt")], TimeSpan.FromHours(6));

    /// <summary>One per line.</summary>
    protected override int ErrorPageInvalid => 8;

    protected override string[] FuzzSeeds => ["drop.txt", "dropv6.txt", "drop_v4.json", "drop_v6.json"];
}
