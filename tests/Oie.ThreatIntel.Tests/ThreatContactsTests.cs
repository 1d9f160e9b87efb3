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

    private RecordingSampleWriter Write()
    {
        var writer = new RecordingSampleWriter(_families);
        _contacts.WriteSamples(writer);
        return writer;
    }

    [Fact]
    public void A_contact_exports_1_per_listing_feed_with_the_instance_labels_in_order()
    {
        _contacts.BeginCycle([_web, _db], []);
        _contacts.OnContact(0, false, Ip.V4("185.220.101.1"), outbound: true);
        _contacts.OnContact(1, true, Ip.V6("2a0e:1c87:1::5"), outbound: false);
        _contacts.OnContact(1, false, Ip.V4("8.8.8.8"), outbound: true);

        var samples = Write().Samples;
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
        _contacts.BeginCycle([_web, _db], []);
        _contacts.OnContact(0, false, Ip.V4("1.200.3.4"), outbound: true);
        _contacts.OnContact(1, true, Ip.V6("2a0e:1c86:ffff::1"), outbound: true);
        Assert.Equal([_web, _db], Write().Of("oie_spamhaus_contact").Select(s => s.Instance));
    }

    [Fact]
    public void No_hit_writes_nothing_and_a_new_cycle_forgets_the_last_one()
    {
        _contacts.BeginCycle([_web], []);
        _contacts.OnContact(0, false, Ip.V4("185.220.101.1"), outbound: true);
        Assert.NotEmpty(Write().Samples);
        _contacts.BeginCycle([_web], []);
        _contacts.OnContact(0, false, Ip.V4("9.9.9.9"), outbound: true);
        _contacts.OnContact(0, true, Ip.V6("2001:db8::1"), outbound: true);
        Assert.Empty(Write().Samples);
    }

    [Fact]
    public void Slots_of_the_same_instance_give_one_sample_per_feed()
    {
        _contacts.BeginCycle([_web, _web, _db], []);
        _contacts.OnContact(0, false, Ip.V4("185.220.101.1"), outbound: true);
        _contacts.OnContact(1, true, Ip.V6("2a0b:f4c2::1"), outbound: false);
        Assert.Equal([("oie_tor_contact", _web), ("oie_spamhaus_contact", _web)],
            Write().Samples.Select(s => (s.Name, s.Instance!)));
    }

    [Fact]
    public void Contacts_allocate_nothing()
    {
        _contacts.BeginCycle([_web, _db], []);
        _contacts.OnContact(0, false, Ip.V4("185.220.101.1"), outbound: true);
        var miss = Ip.V4("9.9.9.9");
        var hit = Ip.V4("185.220.101.1");
        Contact(miss, hit); // warm-up: tiering and on-stack replacement allocate once, whatever the count
        var before = GC.GetAllocatedBytesForCurrentThread();
        Contact(miss, hit);
        // 200,000 contacts: one byte each would be 200 KB; the bound only leaves room for the runtime's own bookkeeping.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 8 * 1024);
    }

    private void Contact(UInt128 miss, UInt128 hit)
    {
        for (var i = 0; i < 100_000; i++)
        {
            _contacts.OnContact(i & 1, false, miss + (uint)i, outbound: true);
            _contacts.OnContact(0, false, hit, outbound: false);
        }
    }

    [Fact]
    public void Hits_are_logged_once_per_instance_and_feed_per_10_minutes_with_the_suppressed_count()
    {
        _contacts.BeginCycle([_web], ["fd00::10"]);
        for (var i = 0; i < 100; i++)
            _contacts.OnContact(0, true, Ip.V6("2a0b:f4c2::1"), outbound: true);
        _contacts.WriteSamples(new RecordingSampleWriter());
        var line = Assert.Single(_log.At(LogLevel.Information));
        Assert.Contains("instance-0000000a (aaaaaaaa-0000-0000-0000-00000000000a) fd00::10 outbound to 2a0b:f4c2::1, listed by feed tor", line);

        _time.Advance(TimeSpan.FromMinutes(9));
        _contacts.BeginCycle([_web], []);
        _contacts.OnContact(0, false, Ip.V4("185.220.101.1"), outbound: false);
        _contacts.WriteSamples(new RecordingSampleWriter());
        Assert.Equal(2, _log.At(LogLevel.Information).Count);
        Assert.Contains("inbound from 185.220.101.1, listed by feed spamhaus", _log.At(LogLevel.Information)[1]);

        _time.Advance(TimeSpan.FromMinutes(1));
        _contacts.BeginCycle([_web], ["fd00::10"]);
        _contacts.OnContact(0, true, Ip.V6("2a0b:f4c2::1"), outbound: true);
        // 99 from the first cycle and the Tor side of 185.220.101.1, which both feeds list.
        Assert.Contains("(100 earlier hits suppressed)", _log.At(LogLevel.Information)[^1]);
    }

    [Fact]
    public void Hits_suppressed_by_an_instance_that_went_quiet_are_still_reported()
    {
        _contacts.BeginCycle([_web], []);
        for (var i = 0; i < 5; i++)
            _contacts.OnContact(0, false, Ip.V4("185.220.101.1"), outbound: true);
        _contacts.WriteSamples(new RecordingSampleWriter());
        _time.Advance(TimeSpan.FromMinutes(10));
        _contacts.BeginCycle([_web], []);
        _contacts.WriteSamples(new RecordingSampleWriter());
        Assert.Contains(_log.At(LogLevel.Information), l => l.Contains("had 4 more hits on feed tor", StringComparison.Ordinal));
    }
}
