using Oie.Abstractions;
using Oie.Feeds.Sample;

namespace Oie.Feeds.Sample.Tests;

/// <summary>What a team's feed tests look like: the format on a realistic fixture, the flags, the bad bodies, a fuzz.</summary>
public class ScoredListFeedTests
{
    /// <summary>The line a team would add to plugins.json (the sample is not listed there).</summary>
    private static readonly PluginEntry Entry = new("scoredlist", false);

    [Fact]
    public void Entries_at_or_above_the_default_score_are_listed()
    {
        var entries = FeedHarness.Create<ScoredListFeed>(Entry).Parse(FeedHarness.Fixture("scored-list.csv"));

        Assert.Equal(["192.0.2.44", "198.51.100.0-198.51.100.255", "203.0.113.7"], entries.Ranges());
        Assert.Equal(4, entries.Invalid); // not-an-address, no score, "high", 101
    }

    [Fact]
    public void A_lower_threshold_lists_more()
    {
        var entries = FeedHarness.Create<ScoredListFeed>(Entry, "-scoredlist.min-score=0").Parse(FeedHarness.Fixture("scored-list.csv"));

        Assert.Equal(["10.9.8.7", "192.0.2.44", "198.51.100.0-198.51.100.255", "203.0.113.7", "2001:db8::bad"], entries.Ranges());
    }

    [Fact]
    public void Html_error_page_adds_nothing_and_is_invalid()
    {
        var entries = FeedHarness.Create<ScoredListFeed>(Entry).Parse("<html>\n<body>502 Bad Gateway</body>\n</html>\n");

        Assert.Equal(0, entries.Count);
        Assert.Equal(3, entries.Invalid);
    }

    [Theory]
    [InlineData("scoredlist.url", "\"https://intel.example.internal/feeds/scored-list.csv\"")]
    [InlineData("scoredlist.min-score", "50")]
    [InlineData("scoredlist.refresh", "15m0s")]
    public void Flags_and_defaults(string name, string defaultText)
    {
        Assert.True(FeedHarness.FlagsOf<ScoredListFeed>(Entry).TryGet(name, out var flag), $"-{name} is missing");
        Assert.Equal(defaultText, flag.DefaultText);
    }

    [Fact]
    public void Descriptor()
    {
        var feed = (ScoredListFeed)FeedHarness.Create<ScoredListFeed>(Entry, "-scoredlist.url=/srv/intel/scored.csv", "-scoredlist.min-score=80");

        Assert.Equal(new FeedDescriptor("scoredlist", "oie_scoredlist_contact",
            "1 if this instance communicated with an IP of the internal scored list during the collection interval",
            feed.Descriptor.Sources, TimeSpan.FromMinutes(15)), feed.Descriptor);
        Assert.Equal([new Uri("file:///srv/intel/scored.csv")], feed.Descriptor.Sources);
        Assert.Equal(80, feed.MinScore);
    }

    [Theory]
    [InlineData("-scoredlist.min-score=101", "-scoredlist.min-score")]
    [InlineData("-scoredlist.min-score=-1", "-scoredlist.min-score")]
    [InlineData("-scoredlist.url=ldap://intel.example.internal/", "-scoredlist.url")]
    public void Bad_values_fail_naming_the_flag(string arg, string flag)
    {
        var result = FeedHarness.ParseFlags<ScoredListFeed>(Entry, arg);

        Assert.False(result.Success);
        Assert.Contains(flag, result.Error);
    }

    [Fact]
    public void Mutated_lists_never_throw() =>
        ParserFuzz.NeverThrows(FeedHarness.Create<ScoredListFeed>(Entry), ParserFuzz.Mutations(FeedHarness.Fixture("scored-list.csv")), 10_000);
}
