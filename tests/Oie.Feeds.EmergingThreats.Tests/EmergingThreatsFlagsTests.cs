using Oie.Feeds.EmergingThreats;

namespace Oie.Feeds.EmergingThreats.Tests;

public class EmergingThreatsFlagsTests
{
    [Theory]
    [InlineData("emergingthreats.url", "\"https://rules.emergingthreats.net/blockrules/compromised-ips.txt\"")]
    [InlineData("emergingthreats.refresh", "6h0m0s")]
    public void Seed_flags_and_defaults(string name, string defaultText)
    {
        Assert.True(FeedHarness.FlagsOf<EmergingThreatsFeed>().TryGet(name, out var flag), $"-{name} is missing");
        Assert.Equal(defaultText, flag.DefaultText);
    }

    [Fact]
    public void The_enable_switch_is_the_hosts()
    {
        Assert.Equal(["emergingthreats.refresh", "emergingthreats.url"], FeedHarness.FlagsOf<EmergingThreatsFeed>().Flags.Select(f => f.Name));
    }

    [Fact]
    public void Descriptor_with_defaults()
    {
        var descriptor = FeedHarness.Create<EmergingThreatsFeed>().Descriptor;

        Assert.Equal("emergingthreats", descriptor.Name);
        Assert.Equal("oie_emergingthreats_contact", descriptor.MetricName);
        Assert.Equal("1 if this instance communicated with an IP listed in the EmergingThreats compromised IP feed", descriptor.Help);
        Assert.Equal([new Uri("https://rules.emergingthreats.net/blockrules/compromised-ips.txt")], descriptor.Sources);
        Assert.Equal(TimeSpan.FromHours(6), descriptor.Refresh);
    }

    [Fact]
    public void A_relative_path_is_a_local_file()
    {
        var source = Assert.Single(FeedHarness.Create<EmergingThreatsFeed>("-emergingthreats.url=./mirror/compromised-ips.txt").Descriptor.Sources);

        Assert.True(source.IsFile);
        Assert.Equal(Path.GetFullPath("mirror/compromised-ips.txt"), source.LocalPath);
    }

    [Theory]
    [InlineData("-emergingthreats.url=s3://bucket/compromised-ips.txt", "-emergingthreats.url")]
    [InlineData("-emergingthreats.url=https:///compromised-ips.txt", "-emergingthreats.url")]
    [InlineData("-emergingthreats.refresh=6", "-emergingthreats.refresh")]
    public void Bad_values_fail_naming_the_flag(string arg, string flag)
    {
        var result = FeedHarness.ParseFlags<EmergingThreatsFeed>(arg);

        Assert.False(result.Success);
        Assert.Contains(flag, result.Error);
    }
}
