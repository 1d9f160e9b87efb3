using Oie.Abstractions;
using Oie.Feeds.Sample;

namespace Oie.Feeds.Sample.Tests;

/// <summary>What is the sample feed's own: its threshold flag and what it lists. What every feed must do is
/// <see cref="ScoredListConformance"/>.</summary>
public class ScoredListFeedTests
{
    private static readonly PluginEntry Entry = ScoredListConformance.Plugin;

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
}
