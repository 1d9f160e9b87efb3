using Oie.Feeds.Spamhaus;

namespace Oie.Feeds.Spamhaus.Tests;

public class SpamhausFlagsTests
{
    [Theory]
    [InlineData("spamhaus.url", "\"https://www.spamhaus.org/drop/drop.txt\"")]
    [InlineData("spamhaus.ipv6.url", "\"https://www.spamhaus.org/drop/dropv6.txt\"")]
    [InlineData("spamhaus.refresh", "6h0m0s")]
    public void Seed_flags_and_defaults(string name, string defaultText)
    {
        Assert.True(FeedHarness.FlagsOf<SpamhausFeed>().TryGet(name, out var flag), $"-{name} is missing");
        Assert.Equal(defaultText, flag.DefaultText);
    }

    [Fact]
    public void The_enable_switch_is_the_hosts()
    {
        Assert.Equal(["spamhaus.ipv6.url", "spamhaus.refresh", "spamhaus.url"], FeedHarness.FlagsOf<SpamhausFeed>().Flags.Select(f => f.Name));
    }

    [Fact]
    public void Descriptor_with_defaults_has_both_lists()
    {
        var descriptor = FeedHarness.Create<SpamhausFeed>().Descriptor;

        Assert.Equal("spamhaus", descriptor.Name);
        Assert.Equal("oie_spamhaus_contact", descriptor.MetricName);
        Assert.Equal("1 if this instance communicated with a Spamhaus DROP-listed IP during the collection interval", descriptor.Help);
        Assert.Equal([new Uri("https://www.spamhaus.org/drop/drop.txt"), new Uri("https://www.spamhaus.org/drop/dropv6.txt")], descriptor.Sources);
        Assert.Equal(TimeSpan.FromHours(6), descriptor.Refresh);
    }

    [Fact]
    public void Mirrored_files_and_no_ipv6_list()
    {
        Assert.Equal([new Uri("file:///srv/feeds/drop_v4.json")],
            FeedHarness.Create<SpamhausFeed>("-spamhaus.url=/srv/feeds/drop_v4.json", "-spamhaus.ipv6.url=").Descriptor.Sources);
        Assert.Equal([new Uri("file:///srv/feeds/drop.txt"), new Uri("https://mirror.internal/dropv6.txt")],
            FeedHarness.Create<SpamhausFeed>("-spamhaus.url=file:///srv/feeds/drop.txt", "-spamhaus.ipv6.url=https://mirror.internal/dropv6.txt")
                .Descriptor.Sources);
    }

    [Theory]
    [InlineData("-spamhaus.url=ftp://ftp.example/drop.txt", "-spamhaus.url")]
    [InlineData("-spamhaus.url=", "-spamhaus.url")]
    [InlineData("-spamhaus.ipv6.url=gopher://x/dropv6.txt", "-spamhaus.ipv6.url")]
    [InlineData("-spamhaus.refresh=-1h", "-spamhaus.refresh")]
    public void Bad_values_fail_naming_the_flag(string arg, string flag)
    {
        var result = FeedHarness.ParseFlags<SpamhausFeed>(arg);

        Assert.False(result.Success);
        Assert.Contains(flag, result.Error);
    }
}
