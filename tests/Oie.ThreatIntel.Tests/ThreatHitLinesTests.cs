using Microsoft.Extensions.Time.Testing;

namespace Oie.ThreatIntel.Tests;

/// <summary>The Go exporter's <c>[THREAT] FEED-HIT:</c> lines, driven through the contact stage as the cycle runs it.</summary>
public class ThreatHitLinesTests
{
    private static readonly FeedDescriptor Tor = new("tor", "oie_tor_contact", "tor", [], TimeSpan.FromHours(1));
    private static readonly FeedDescriptor Et = new("emergingthreats", "oie_emergingthreats_contact", "et", [], TimeSpan.FromHours(6))
    { HitTag = "EMTHREATS" };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 6, 30, 0, TimeSpan.Zero));
    private readonly StringWriter _stderr = new();
    private readonly ThreatContacts _contacts;
    private readonly Instance _web = InstanceBuilder.Nova("instance-0000000a", "aaaaaaaa-0000-0000-0000-00000000000a");
    private readonly Instance _db = InstanceBuilder.Nova("instance-0000000b", "bbbbbbbb-0000-0000-0000-00000000000b");

    public ThreatHitLinesTests()
    {
        var holder = new FeedMatcherHolder(2);
        var tor = new FeedEntriesBuilder();
        tor.AddV4(Ip.V4("185.220.101.1"));
        tor.AddV6(Ip.V6("2a0b:f4c2::1"));
        var et = new FeedEntriesBuilder();
        et.AddV4(Ip.V4("185.220.101.1"));
        et.AddV4(Ip.V4("45.9.20.1"));
        holder.Publish(0, FeedRanges.From(tor));
        holder.Publish(1, FeedRanges.From(et));
        _time.SetLocalTimeZone(TimeZoneInfo.Utc);
        _contacts = new ThreatContacts(holder, [ContactFamilies.For(Tor), ContactFamilies.For(Et)], ["tor", "emergingthreats"],
            _time, new CapturingLogger().For<ThreatContacts>(), hitLines: new ThreatHitLines(_stderr, [Tor.HitTag, Et.HitTag], _time));
    }

    private string[] Cycle(ConntrackTableBuilder table)
    {
        var before = _stderr.ToString().Length;
        _contacts.Run(table.Snapshot());
        _time.Advance(TimeSpan.FromSeconds(10));
        return _stderr.ToString()[before..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private ConntrackTableBuilder Nodes() => new ConntrackTableBuilder().Slot(_web, "10.0.0.10").Slot(_db, "fd00::11");

    [Fact]
    public void A_contact_is_written_at_once_in_gos_format_whatever_the_log_level()
    {
        var lines = Cycle(Nodes()
            .Contact(0, "185.220.101.1", outbound: true)
            .Contact(1, "2a0b:f4c2::1", outbound: false)
            .Contact(0, "45.9.20.1", outbound: false));
        Assert.Equal([
            "2026/12/06 06:30:00 [THREAT] TOR-HIT: domain=instance-0000000a uuid=aaaaaaaa-0000-0000-0000-00000000000a ip=185.220.101.1 direction=dst",
            "2026/12/06 06:30:00 [THREAT] EMTHREATS-HIT: domain=instance-0000000a uuid=aaaaaaaa-0000-0000-0000-00000000000a ip=185.220.101.1 direction=dst",
            "2026/12/06 06:30:00 [THREAT] TOR-HIT: domain=instance-0000000b uuid=bbbbbbbb-0000-0000-0000-00000000000b ip=2a0b:f4c2::1 direction=src",
        ], lines);
    }

    [Fact]
    public void A_contact_that_goes_on_is_written_at_most_once_a_minute_with_the_cycles_it_was_seen_in()
    {
        var table = Nodes().Contact(0, "45.9.20.1", outbound: true);
        Assert.Single(Cycle(table));
        var repeats = Enumerable.Range(0, 11).Select(_ => Cycle(table)).ToArray();
        // cycles at 10 s … 50 s are quiet; the one at 60 s reports the six cycles since the first line.
        Assert.All(repeats[..5], Assert.Empty);
        Assert.Equal(
            "2026/12/06 06:31:00 [THREAT] EMTHREATS-HIT: domain=instance-0000000a uuid=aaaaaaaa-0000-0000-0000-00000000000a ip=45.9.20.1 direction=dst cycles=6",
            Assert.Single(repeats[5]));
        Assert.All(repeats[6..], Assert.Empty);
    }

    [Fact]
    public void A_cycle_without_the_contact_ends_it_and_the_next_contact_is_written_at_once()
    {
        var table = Nodes().Contact(0, "45.9.20.1");
        Assert.Single(Cycle(table));
        Assert.Empty(Cycle(table));
        Assert.Empty(Cycle(Nodes()));
        var again = Assert.Single(Cycle(table));
        Assert.EndsWith("ip=45.9.20.1 direction=dst", again, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_instance_and_feed_is_a_contact_of_its_own_and_counts_once_per_cycle()
    {
        // Many flows to listed addresses in one cycle: one line per (instance, feed), as Go's break after the first hit.
        var table = Nodes();
        for (var i = 0; i < 50; i++)
            table.Contact(0, "45.9.20.1").Contact(1, "2a0b:f4c2::1");
        Assert.Equal(2, Cycle(table).Length);
        for (var i = 0; i < 5; i++)
            Assert.Empty(Cycle(table));
        Assert.All(Cycle(table), line => Assert.EndsWith(" cycles=6", line, StringComparison.Ordinal));
    }
}
