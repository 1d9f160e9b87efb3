namespace Oie.ThreatIntel.Tests;

public class FeedMatcherTests
{
    private static FeedMatcher Build(params FeedRanges?[] feeds) => FeedMatcher.Build(feeds);

    private static FeedRanges V4(params string[] cidrs)
    {
        var entries = new FeedEntriesBuilder();
        new LineFeed("t", TimeSpan.FromHours(1)).Parse(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", cidrs)), new Uri("file:///x"), entries);
        Assert.Equal(0, entries.Invalid);
        return FeedRanges.From(entries);
    }

    [Fact]
    public void Empty_matcher_matches_nothing()
    {
        Assert.Equal(0u, FeedMatcher.Empty.LookupV4(0));
        Assert.Equal(0u, FeedMatcher.Empty.LookupV4(uint.MaxValue));
        Assert.Equal(0u, FeedMatcher.Empty.LookupV6(UInt128.MaxValue));
        Assert.Equal(1, FeedMatcher.Empty.V4Segments);
    }

    [Fact]
    public void IPv4_block_shorter_than_16_matches_outside_its_first_16()
    {
        // The Go original bucketed DROP by /16 and only found 1.0.0.0/8 for addresses in 1.0.0.0/16.
        var matcher = Build(V4("1.0.0.0/8"));
        Assert.Equal(1u, matcher.LookupV4(Ip.V4("1.200.3.4")));
        Assert.Equal(1u, matcher.LookupV4(Ip.V4("1.0.0.0")));
        Assert.Equal(1u, matcher.LookupV4(Ip.V4("1.255.255.255")));
        Assert.Equal(0u, matcher.LookupV4(Ip.V4("0.255.255.255")));
        Assert.Equal(0u, matcher.LookupV4(Ip.V4("2.0.0.0")));
    }

    [Fact]
    public void IPv6_prefix_shorter_than_48_matches_beyond_its_first_three_hextets()
    {
        var matcher = Build(V4("2a0e:1c80::/29"));
        Assert.Equal(1u, matcher.LookupV6(Ip.V6("2a0e:1c80::1")));
        Assert.Equal(1u, matcher.LookupV6(Ip.V6("2a0e:1c87:ffff:ffff:ffff:ffff:ffff:ffff")));
        Assert.Equal(1u, matcher.LookupV6(Ip.V6("2a0e:1c85:1234::99")));
        Assert.Equal(0u, matcher.LookupV6(Ip.V6("2a0e:1c88::")));
        Assert.Equal(0u, matcher.LookupV6(Ip.V6("2a0e:1c7f:ffff:ffff:ffff:ffff:ffff:ffff")));
        Assert.Equal(0u, matcher.LookupV4(Ip.V4("42.14.28.128")));
    }

    [Fact]
    public void Prefixes_wider_than_the_first_level_index_span_every_bucket()
    {
        var matcher = Build(V4("64.0.0.0/2", "2000::/3"));
        Assert.Equal(1u, matcher.LookupV4(Ip.V4("64.0.0.0")));
        Assert.Equal(1u, matcher.LookupV4(Ip.V4("100.64.1.1")));
        Assert.Equal(1u, matcher.LookupV4(Ip.V4("127.255.255.255")));
        Assert.Equal(0u, matcher.LookupV4(Ip.V4("128.0.0.0")));
        Assert.Equal(1u, matcher.LookupV6(Ip.V6("2001:db8::1")));
        Assert.Equal(1u, matcher.LookupV6(Ip.V6("3fff:ffff::1")));
        Assert.Equal(0u, matcher.LookupV6(Ip.V6("4000::")));
    }

    [Fact]
    public void Overlapping_lists_from_several_feeds_carry_every_listing_feed()
    {
        var matcher = Build(V4("10.0.0.0/8", "10.1.0.0/16"), V4("10.1.2.0/24"), null, V4("10.1.2.3", "0.0.0.0/0"));
        Assert.Equal(0b1001u, matcher.LookupV4(Ip.V4("10.2.0.0")));
        Assert.Equal(0b1011u, matcher.LookupV4(Ip.V4("10.1.2.200")));
        Assert.Equal(0b1011u, matcher.LookupV4(Ip.V4("10.1.2.3")));
        Assert.Equal(0b1001u, matcher.LookupV4(Ip.V4("10.1.3.0")));
        Assert.Equal(0b1000u, matcher.LookupV4(Ip.V4("11.0.0.0")));
        Assert.Equal(0b1000u, matcher.LookupV4(uint.MaxValue));
        Assert.Equal(0b1000u, matcher.LookupV4(0));
    }

    [Fact]
    public void Adjacent_ranges_of_the_same_feeds_merge_into_one_segment()
    {
        var matcher = Build(V4("10.0.0.0/25", "10.0.0.128/25", "10.0.0.7"));
        Assert.Equal(3, matcher.V4Segments);
        Assert.Equal(1u, matcher.LookupV4(Ip.V4("10.0.0.255")));
    }

    [Fact]
    public void Extremes_of_both_address_spaces()
    {
        var matcher = Build(V4("255.255.255.255", "0.0.0.0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::"));
        Assert.Equal(1u, matcher.LookupV4(0));
        Assert.Equal(0u, matcher.LookupV4(1));
        Assert.Equal(1u, matcher.LookupV4(uint.MaxValue));
        Assert.Equal(0u, matcher.LookupV4(uint.MaxValue - 1));
        Assert.Equal(1u, matcher.LookupV6(UInt128.Zero));
        Assert.Equal(0u, matcher.LookupV6(UInt128.One));
        Assert.Equal(1u, matcher.LookupV6(UInt128.MaxValue));
        Assert.Equal(0u, matcher.LookupV6(UInt128.MaxValue - 1));
    }

    [Fact]
    public void Matcher_holder_swaps_in_a_matcher_built_from_every_feed()
    {
        var holder = new FeedMatcherHolder(2);
        var before = holder.Current;
        holder.Publish(1, V4("192.0.2.0/24"));
        holder.Publish(0, V4("192.0.2.1"));
        Assert.Equal(0u, before.LookupV4(Ip.V4("192.0.2.1")));
        Assert.Equal(0b11u, holder.Current.LookupV4(Ip.V4("192.0.2.1")));
        holder.Publish(1, FeedRanges.Empty);
        Assert.Equal(0b01u, holder.Current.LookupV4(Ip.V4("192.0.2.1")));
    }

    [Fact]
    public void Lookups_allocate_nothing()
    {
        var matcher = Build(V4("10.0.0.0/8", "2001:db8::/32"), V4(LineFeed.Addresses(5000).Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var sink = Lookups(matcher); // warm-up: tiering and on-stack replacement allocate once, whatever the count
        var before = GC.GetAllocatedBytesForCurrentThread();
        sink |= Lookups(matcher);
        // 200,000 lookups: one byte each would be 200 KB; the bound only leaves room for the runtime's own bookkeeping.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 8 * 1024);
        Assert.NotEqual(0u, sink);
    }

    private static uint Lookups(FeedMatcher matcher)
    {
        uint sink = 0;
        for (uint i = 0; i < 100_000; i++)
            sink |= matcher.LookupV4(i * 2654435761u) | matcher.LookupV6((UInt128)i << 80);
        return sink;
    }
}
