using Oie.Abstractions;
using Oie.Feeds.Tor;

namespace Oie.Feeds.Tor.Tests;

public class TorFlagsTests
{
    [Theory]
    [InlineData("tor.url", "\"https://onionoo.torproject.org/details?search=flag:exit&fields=or_addresses\"")]
    [InlineData("tor.refresh", "1h0m0s")]
    public void Seed_flags_and_defaults(string name, string defaultText)
    {
        Assert.True(FeedHarness.FlagsOf<TorFeed>().TryGet(name, out var flag), $"-{name} is missing");
        Assert.Equal(defaultText, flag.DefaultText);
    }

    [Fact]
    public void The_enable_switch_is_the_hosts()
    {
        Assert.Equal(["tor.refresh", "tor.url"], FeedHarness.FlagsOf<TorFeed>().Flags.Select(f => f.Name));
    }

    [Fact]
    public void Descriptor_with_defaults()
    {
        var descriptor = FeedHarness.Create<TorFeed>().Descriptor;

        Assert.Equal("tor", descriptor.Name);
        Assert.Equal("oie_tor_contact", descriptor.MetricName);
        Assert.Equal("1 if this instance communicated with a Tor exit node during the collection interval", descriptor.Help);
        Assert.Equal([new Uri("https://onionoo.torproject.org/details?search=flag:exit&fields=or_addresses")], descriptor.Sources);
        Assert.Equal(TimeSpan.FromHours(1), descriptor.Refresh);
    }

    [Theory]
    [InlineData("-tor.url=file:///srv/mirror/tor.json", "file:///srv/mirror/tor.json")]
    [InlineData("-tor.url=/srv/mirror/tor.json", "file:///srv/mirror/tor.json")]
    [InlineData("-tor.url=http://mirror.internal:8080/details", "http://mirror.internal:8080/details")]
    public void Mirrors_and_files(string arg, string source)
    {
        Assert.Equal([new Uri(source)], FeedHarness.Create<TorFeed>(arg).Descriptor.Sources);
    }

    [Fact]
    public void Refresh_is_a_go_duration()
    {
        Assert.Equal(TimeSpan.FromMinutes(90), FeedHarness.Create<TorFeed>("-tor.refresh=1h30m").Descriptor.Refresh);
    }

    [Theory]
    [InlineData("-tor.url=ftp://mirror.example/tor.json", "-tor.url", "unsupported scheme \"ftp\"")]
    [InlineData("-tor.url=onionoo.torproject.org/details", "-tor.url", "not a URL or a file path")]
    [InlineData("-tor.url=", "-tor.url", "want an http://")]
    [InlineData("-tor.url=file://otherhost/tor.json", "-tor.url", "local file")]
    [InlineData("-tor.refresh=0s", "-tor.refresh", "greater than zero")]
    [InlineData("-tor.refresh=hourly", "-tor.refresh", "parse error")]
    public void Bad_values_fail_naming_the_flag(string arg, string flag, string reason)
    {
        var result = FeedHarness.ParseFlags<TorFeed>(arg);

        Assert.False(result.Success);
        Assert.Contains(flag, result.Error);
        Assert.Contains(reason, result.Error);
    }
}
