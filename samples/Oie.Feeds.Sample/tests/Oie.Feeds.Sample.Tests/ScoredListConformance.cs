using Oie.Abstractions;
using Oie.Feeds.Sample;

namespace Oie.Feeds.Sample.Tests;

/// <summary>
/// The sample feed against what every feed must do: its fixture's ranges, the bad bodies, its flags and defaults, its
/// descriptor, a bad value per flag, the fuzz. A team's feed instantiates the suite the same way and keeps beside it
/// only the tests of what is its own (<see cref="ScoredListFeedTests"/>).
/// </summary>
public sealed class ScoredListConformance : FeedConformance<ScoredListFeed, ScoredListConformance>, IFeedCases
{
    /// <summary>The line a team would add to plugins.json (the sample is not listed there, so it says it here).</summary>
    public static readonly PluginEntry Plugin = new("scoredlist", false);

    public static TheoryData<string, string[], int> RealisticFixtures => new()
    {
        // Entries at or above the default score; not-an-address, no score, "high" and 101 are invalid.
        { "scored-list.csv", ["192.0.2.44", "198.51.100.0-198.51.100.255", "203.0.113.7"], 4 },
    };

    public static TheoryData<string, string> FlagsWithDefaults => new()
    {
        { "scoredlist.url", "\"https://intel.example.internal/feeds/scored-list.csv\"" },
        { "scoredlist.min-score", "50" },
        { "scoredlist.refresh", "15m0s" },
    };

    public static TheoryData<string, string, string?> BadArguments => new()
    {
        { "-scoredlist.min-score=101", "-scoredlist.min-score", null },
        { "-scoredlist.min-score=-1", "-scoredlist.min-score", null },
        { "-scoredlist.url=ldap://intel.example.internal/", "-scoredlist.url", null },
    };

    protected override PluginEntry Entry => Plugin;

    protected override FeedDescriptor ExpectedDescriptor => new(
        "scoredlist", "oie_scoredlist_contact",
        "1 if this instance communicated with an IP of the internal scored list during the collection interval",
        [new Uri("https://intel.example.internal/feeds/scored-list.csv")], TimeSpan.FromMinutes(15));

    /// <summary>One per line: none has a comma and a score.</summary>
    protected override int ErrorPageInvalid => 8;

    protected override string[] FuzzSeeds => ["scored-list.csv"];

    protected override int MutationIterations => 10_000;
}
