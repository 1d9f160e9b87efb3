using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Oie.ThreatIntel.Tests;

public class ThreatContactsTests
{
    private static readonly FeedDescriptor Tor = new("tor", "oie_tor_contact",
        "1 if this instance communicated with a Tor exit node during the collection interval", [], TimeSpan.FromHours(6));
    private static readonly FeedDescriptor Drop = new("spamhaus", "oie_spamhaus_contact",
        "1 if this instance communicated with a Spamhaus DROP-listed IP during the collection interval", [], TimeSpan.FromHours(6));

    private readonly FakeTimeProvider _time = new();
    private readonly CapturingLogger _log = new();
    private readonly MetricFamily[] _families = [ContactFamilies.For(Tor), ContactFamilies.For(Drop)];
    private readonly ThreatContacts _contacts;

    private readonly Instance _web = InstanceBuilder.Nova("instance-0000000a", "aaaaaaaa-0000-0000-0000-00000000000a",
        user: "uuuuuuuu-0000-0000-0000-000000000001", project: "pppppppp-0000-0000-0000-000000000001");
    private readonly Instance _db = InstanceBuilder.Nova("instance-0000000b", "bbbbbbbb-0000-0000-0000-00000000000b");

    public ThreatContactsTests()
    {
        var holder = new FeedMatcherHolder(2);
        var tor = new FeedEntriesBuilder();
        tor.AddV4(Ip.V4("185.220.101.1"));
        tor.AddV6(Ip.V6("2a0b:f4c2::1"));
        var drop = new FeedEntriesBuilder();
        drop.AddV4Cidr(Ip.V4("1.0.0.0"), 8);
        drop.AddV6Cidr(Ip.V6("2a0e:1c80::"), 29);
        drop.AddV4Cidr(Ip.V4("185.220.0.0"), 16);
        holder.Publish(0, FeedRanges.From(tor));
        holder.Publish(1, FeedRanges.From(drop));
        _contacts = new ThreatContacts(holder, _families, ["tor", "spamhaus"], _time, _log.For<ThreatContacts>());
    }

    private RecordingSampleWriter Run(ConntrackTableBuilder table) => _contacts.Run(table.Snapshot());

    private ConntrackTableBuilder WebAndDb() => new ConntrackTableBuilder().Slot(_web, "10.0.0.10").Slot(_db, "10.0.0.11");

    [Fact]
    public void A_contact_exports_1_per_listing_feed_with_the_instance_labels_in_order()
    {
        var samples = Run(WebAndDb()
            .Contact(0, "185.220.101.1", outbound: true)
            .Contact(1, "2a0e:1c87:1::5", outbound: false)
            .Contact(1, "8.8.8.8", outbound: true)).Samples;

        Assert.Equal(["oie_tor_contact", "oie_spamhaus_contact", "oie_spamhaus_contact"], samples.Select(s => s.Name));
        Assert.All(samples, s => Assert.Equal(1, s.Value));
        Assert.Equal(["domain", "instance_uuid", "project_uuid", "user_uuid"], samples[0].Family.LabelNames.ToArray());
        Assert.Equal(["instance-0000000a", "aaaaaaaa-0000-0000-0000-00000000000a", "pppppppp-0000-0000-0000-000000000001",
            "uuuuuuuu-0000-0000-0000-000000000001"], samples[0].Labels);
        Assert.Same(_web, samples[1].Instance);
        Assert.Same(_db, samples[2].Instance);
        Assert.Equal(Drop.Help, samples[2].Family.Help);
    }

    [Fact]
    public void A_v4_block_shorter_than_16_and_a_v6_prefix_shorter_than_48_are_hits()
    {
        var samples = Run(WebAndDb().Contact(0, "1.200.3.4").Contact(1, "2a0e:1c86:ffff::1"));
        Assert.Equal([_web, _db], samples.Of("oie_spamhaus_contact").Select(s => s.Instance));
    }

    [Fact]
    public void No_hit_writes_nothing_and_a_new_cycle_forgets_the_last_one()
    {
        Assert.NotEmpty(Run(WebAndDb().Contact(0, "185.220.101.1")).Samples);
        Assert.Empty(Run(WebAndDb().Contact(0, "9.9.9.9").Contact(0, "2001:db8::1")).Samples);
    }

    [Fact]
    public void Slots_of_the_same_instance_give_one_sample_per_feed()
    {
        var table = new ConntrackTableBuilder().Slot(_web, "10.0.0.10").Slot(_web, "fd00::10").Slot(_db, "10.0.0.11")
            .Contact(0, "185.220.101.1").Contact(1, "2a0b:f4c2::1", outbound: false);
        Assert.Equal([("oie_tor_contact", _web), ("oie_spamhaus_contact", _web)],
            Run(table).Samples.Select(s => (s.Name, s.Instance!)));
    }

    /// <summary>-threat.flows.enable: the entries behind each contact, per instance, feed and who opened the flow,
    /// summed over the instance's fixed IPs; a direction without entries is absent, never 0.</summary>
    [Fact]
    public void Flows_count_the_entries_per_instance_feed_and_direction()
    {
        var holder = new FeedMatcherHolder(2);
        var tor = new FeedEntriesBuilder();
        tor.AddV4(Ip.V4("185.220.101.1"));
        var drop = new FeedEntriesBuilder();
        drop.AddV4Cidr(Ip.V4("185.220.0.0"), 16);
        holder.Publish(0, FeedRanges.From(tor));
        holder.Publish(1, FeedRanges.From(drop));
        var contacts = new ThreatContacts(holder, _families, ["tor", "spamhaus"], _time, _log.For<ThreatContacts>(), countFlows: true);
        Assert.Contains(ContactFamilies.Flows, contacts.Families);
        var table = new ConntrackTableBuilder().Slot(_web, "10.0.0.10").Slot(_web, "fd00::10").Slot(_db, "10.0.0.11")
            .Contact(0, "185.220.101.1", outbound: true).Contact(1, "185.220.101.1", outbound: true)
            .Contact(0, "185.220.9.9", outbound: false).Contact(0, "8.8.8.8", outbound: true)
            .Contact(2, "185.220.101.1", outbound: false);
        var flows = contacts.Run(table.Snapshot()).Of("oie_threat_contact_flows")
            .Select(s => (s.Instance!.Facts.Domain, s.Labels[4], s.Labels[5], s.Value)).ToList();
        Assert.Equal([
            ("instance-0000000a", "tor", "outbound", 2.0),
            ("instance-0000000a", "spamhaus", "inbound", 1.0),
            ("instance-0000000a", "spamhaus", "outbound", 2.0),
            ("instance-0000000b", "tor", "inbound", 1.0),
            ("instance-0000000b", "spamhaus", "inbound", 1.0),
        ], flows);
        Assert.Equal(["domain", "instance_uuid", "project_uuid", "user_uuid", "feed", "direction"], ContactFamilies.Flows.LabelNames.ToArray());

        // The next cycle counts afresh.
        var again = contacts.Run(new ConntrackTableBuilder().Slot(_web, "10.0.0.10").Contact(0, "185.220.101.1").Snapshot());
        Assert.Equal([1.0, 1.0], again.Of("oie_threat_contact_flows").Select(s => s.Value));
    }

    [Fact]
    public void Without_flows_only_the_contact_families_are_declared_and_written()
    {
        Assert.DoesNotContain(ContactFamilies.Flows, _contacts.Families);
        Assert.Empty(Run(WebAndDb().Contact(0, "185.220.101.1")).Of("oie_threat_contact_flows"));
    }

    [Fact]
    public void A_table_that_could_not_be_read_fails_the_stage_without_counting_the_error_again()
    {
        var table = WebAndDb().Contact(0, "185.220.101.1").Read(ConntrackFamilies.None, "conntrack exited with status 1");
        var failure = Assert.Throws<CollectorSourceException>(() => Run(table));
        Assert.True(failure.AlreadyReported);
        Assert.Equal("conntrack", failure.Source);
    }

    [Fact]
    public void Matching_allocates_nothing_per_contact()
    {
        var few = WebAndDb().Contact(0, "185.220.101.1").Snapshot();
        var many = WebAndDb();
        for (var i = 0; i < 100_000; i++)
            many.Contact(i & 1, $"9.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}").Contact(0, "185.220.101.1", outbound: false);
        var manySnapshot = many.Snapshot();
        _contacts.Run(few); // warm-up: tiering and on-stack replacement allocate once, whatever the count
        _contacts.Run(manySnapshot);

        var writer = new RecordingSampleWriter(_families);
        var before = GC.GetAllocatedBytesForCurrentThread();
        _contacts.Collect(few, writer);
        var baseline = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        _contacts.Collect(manySnapshot, writer);
        // 200,000 contacts: one byte each would be 200 KB; the bound only leaves room for the runtime's own bookkeeping.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before - baseline, -8 * 1024, 8 * 1024);
    }

    [Fact]
    public void Hits_are_logged_once_per_instance_and_feed_per_10_minutes_with_the_suppressed_count()
    {
        var table = new ConntrackTableBuilder().Slot(_web, "fd00::10");
        for (var i = 0; i < 100; i++)
            table.Contact(0, "2a0b:f4c2::1");
        Run(table);
        var line = Assert.Single(_log.At(LogLevel.Information));
        Assert.Contains("instance-0000000a (aaaaaaaa-0000-0000-0000-00000000000a) fd00::10 outbound to 2a0b:f4c2::1, listed by feed tor", line);

        _time.Advance(TimeSpan.FromMinutes(9));
        Run(new ConntrackTableBuilder().Slot(_web, "10.0.0.10").Contact(0, "185.220.101.1", outbound: false));
        Assert.Equal(2, _log.At(LogLevel.Information).Count);
        Assert.Contains("10.0.0.10 inbound from 185.220.101.1, listed by feed spamhaus", _log.At(LogLevel.Information)[1]);

        _time.Advance(TimeSpan.FromMinutes(1));
        Run(new ConntrackTableBuilder().Slot(_web, "fd00::10").Contact(0, "2a0b:f4c2::1"));
        // 99 from the first cycle and the Tor side of 185.220.101.1, which both feeds list.
        Assert.Contains("(100 earlier hits suppressed)", _log.At(LogLevel.Information)[^1]);
    }

    [Fact]
    public void Hits_suppressed_by_an_instance_that_went_quiet_are_still_reported()
    {
        var table = new ConntrackTableBuilder().Slot(_web, "10.0.0.10");
        for (var i = 0; i < 5; i++)
            table.Contact(0, "185.220.101.1");
        Run(table);
        _time.Advance(TimeSpan.FromMinutes(10));
        Run(new ConntrackTableBuilder().Slot(_web, "10.0.0.10"));
        Assert.Contains(_log.At(LogLevel.Information), l => l.Contains("had 4 more hits on feed tor", StringComparison.Ordinal));
    }
}
