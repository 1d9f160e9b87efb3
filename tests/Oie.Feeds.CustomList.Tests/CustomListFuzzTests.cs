using System.Text;
using CsCheck;
using Oie.Abstractions;
using Oie.Feeds.CustomList;
using Oie.Net;

namespace Oie.Feeds.CustomList.Tests;

public class CustomListFuzzTests
{
    private static readonly IThreatFeed Feed = FeedHarness.Create<CustomListFeed>("-customlist.path=/etc/oie/custom-ips.txt");

    [Fact]
    public void Mutated_lists_never_throw() =>
        ParserFuzz.NeverThrows(Feed, ParserFuzz.Mutations(FeedHarness.Fixture("custom-ips.txt")), iterations: 20_000);

    [Fact]
    public void Noise_never_throws() => ParserFuzz.NeverThrows(Feed, ParserFuzz.Noise, iterations: 10_000);

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
