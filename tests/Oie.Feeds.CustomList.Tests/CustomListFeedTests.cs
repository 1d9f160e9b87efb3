using System.Text;
using CsCheck;
using Oie.Abstractions;
using Oie.Feeds.CustomList;
using Oie.Net;

namespace Oie.Feeds.CustomList.Tests;

/// <summary>What is the custom list's own: its spellings, its path flag and the refusal without one. What every feed
/// must do is <see cref="CustomListConformance"/>.</summary>
public class CustomListFeedTests
{
    private static readonly IThreatFeed Feed = FeedHarness.Create<CustomListFeed>("-customlist.path=/etc/oie/custom-ips.txt");

    [Fact]
    public void Every_spelling_of_an_address_gives_the_same_key()
    {
        var entries = Feed.Parse("2001:DB8::1\n2001:db8::1\n2001:0db8:0000:0000:0000:0000:0000:0001\n2001:db8::0:1\n");

        Assert.Equal(["2001:db8::1"], entries.Ranges());
        Assert.Equal(1, entries.Count);
        Assert.Equal(4, entries.Listed);
    }

    [Fact]
    public void The_seed_example_file()
    {
        var entries = Feed.Parse("# comments allowed\n1.2.3.4\n2001:db8::1\n203.0.113.10\n");

        Assert.Equal(["1.2.3.4", "203.0.113.10", "2001:db8::1"], entries.Ranges());
        Assert.Equal(0, entries.Invalid);
    }

    [Theory]
    [InlineData("custom-ips.txt")]
    [InlineData("lists/with space/ips #1.txt")]
    [InlineData("lists/100%.txt")]
    public void A_path_is_made_absolute_and_survives_the_uri(string path)
    {
        var source = Assert.Single(FeedHarness.Create<CustomListFeed>($"-customlist.path={path}").Descriptor.Sources);

        Assert.True(source.IsFile);
        Assert.Equal(Path.GetFullPath(path), source.LocalPath);
    }

    [Theory]
    [InlineData()]
    [InlineData("-customlist.path=")]
    [InlineData("-customlist.path=  ")]
    public void Without_a_path_the_factory_refuses_naming_the_flag(params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => FeedHarness.Create<CustomListFeed>(args));

        Assert.Contains("-customlist.path", error.Message);
    }

    [Fact]
    public void Upper_and_lower_case_ipv6_give_the_same_entries() =>
        Gen.UInt128.Array[1, 20].Sample(addresses =>
        {
            var lower = new StringBuilder();
            foreach (var address in addresses)
                lower.Append(IpKey.FromV6(address)).Append("  # note\n");

            Assert.Equal(Feed.Parse(lower.ToString()).Ranges(), Feed.Parse(lower.ToString().ToUpperInvariant()).Ranges());
            Assert.Equal(addresses.Distinct().Order().Select(a => (a, a)), Feed.Parse(lower.ToString()).V6);
        }, seed: ParserFuzz.Seed, iter: 5_000, threads: 1);
}
