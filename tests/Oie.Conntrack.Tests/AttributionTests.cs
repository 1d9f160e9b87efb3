namespace Oie.Conntrack.Tests;

public class AttributionTests
{
    private static readonly Instance Web = InstanceBuilder.Nova("instance-web", "11111111-0000-0000-0000-000000000001")
        .FixedIp("10.0.0.5", 4).FixedIp("2001:DB8::5", 6);

    private static readonly Instance Db = InstanceBuilder.Nova("instance-db", "11111111-0000-0000-0000-000000000002")
        .FixedIp("10.0.0.6", 4);

    private static readonly IpKey Remote = IpKey.Parse("198.51.100.9");

    /// <summary><paramref name="count"/> instances with one IPv4 (10.x.y.z) and one IPv6 (fd00::x:y) fixed IP each.</summary>
    internal static List<Instance> Instances(int count) =>
    [
        .. Enumerable.Range(1, count).Select(i => (Instance)InstanceBuilder.Nova($"instance-{i:x8}", $"00000000-0000-0000-0000-{i:x12}")
            .FixedIp($"10.{i >> 16 & 0xFF}.{i >> 8 & 0xFF}.{i & 0xFF}", 4)
            .FixedIp($"fd00::{i >> 16:x}:{i & 0xFFFF:x}", 6)),
    ];

    [Fact]
    public void Counts_a_flow_for_its_source_and_its_destination_and_records_the_remote()
    {
        var attribution = new FlowAttribution(FixedIpIndex.Build([Web, Db]), recordContacts: true);

        attribution.OnFlow(Flow("10.0.0.5", "198.51.100.9"));
        attribution.OnFlow(Flow("198.51.100.9", "10.0.0.5"));
        attribution.OnFlow(Flow("198.51.100.9", "198.51.100.10"));

        Assert.Equal([2, 0, 0], attribution.Counts.ToArray());
        Assert.Equal(3, attribution.Flows);
        Assert.Equal([new ContactV4((uint)Remote.Value, 0, true), new ContactV4((uint)Remote.Value, 0, false)], attribution.ContactsV4.ToArray());
        Assert.Empty(attribution.ContactsV6.ToArray());
    }

    [Fact]
    public void A_flow_that_already_ended_is_a_contact_but_no_entry()
    {
        var attribution = new FlowAttribution(FixedIpIndex.Build([Web, Db]), recordContacts: true);

        attribution.OnEndedFlow(Flow("10.0.0.5", "198.51.100.9"));
        attribution.OnFlow(Flow("198.51.100.9", "10.0.0.6"));

        Assert.Equal([0, 0, 1], attribution.Counts.ToArray());
        Assert.Equal(1, attribution.Flows);
        Assert.Equal([new ContactV4((uint)Remote.Value, 0, true), new ContactV4((uint)Remote.Value, 2, false)], attribution.ContactsV4.ToArray());
    }

    [Fact]
    public void Contacts_are_not_kept_unless_asked_for()
    {
        var attribution = new FlowAttribution(FixedIpIndex.Build([Web]));

        attribution.OnFlow(Flow("10.0.0.5", "198.51.100.9"));
        attribution.OnFlow(Flow("2001:db8::5", "2001:db8::99"));

        Assert.Equal(2, attribution.Counts.Sum());
        Assert.True(attribution.ContactsV4.IsEmpty);
        Assert.True(attribution.ContactsV6.IsEmpty);
    }

    [Fact]
    public void IPv6_contacts_keep_the_whole_remote_address()
    {
        var attribution = new FlowAttribution(FixedIpIndex.Build([Web]), recordContacts: true);

        for (int i = 0; i < 40; i++)
        {
            attribution.OnFlow(Flow("2001:db8::5", $"2001:db8:ffff:1::{i + 1:x}"));
        }

        ContactV6[] contacts = attribution.ContactsV6.ToArray();
        Assert.Equal(40, contacts.Length);
        Assert.Equal(IpKey.Parse("2001:db8:ffff:1::28").Value, contacts[^1].Remote);
        Assert.All(contacts, c => Assert.True(c.Outbound));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(0, false)]
    [InlineData(int.MaxValue, true)]
    [InlineData(123_456, false)]
    public void A_contact_keeps_its_slot_and_direction_in_8_or_20_bytes(int slot, bool outbound)
    {
        var v4 = new ContactV4(0xC6336409, slot, outbound);
        var v6 = new ContactV6(0x20010db8_00000000, 0x99, slot, outbound);
        Assert.Equal((0xC6336409u, slot, outbound), (v4.Remote, v4.Slot, v4.Outbound));
        Assert.Equal((IpKey.Parse("2001:db8::99").Value, slot, outbound), (v6.Remote, v6.Slot, v6.Outbound));
        Assert.Equal(8, System.Runtime.CompilerServices.Unsafe.SizeOf<ContactV4>());
        Assert.Equal(20, System.Runtime.CompilerServices.Unsafe.SizeOf<ContactV6>());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContactV4(1, -1, true));
    }

    [Fact]
    public void Contact_buffers_are_reused_from_one_read_to_the_next()
    {
        var index = FixedIpIndex.Build([Web]);
        var buffers = new ContactBuffers();
        var first = new FlowAttribution(index, recordContacts: true, buffers);
        for (int i = 0; i < 100; i++)
        {
            first.OnFlow(Flow("10.0.0.5", $"198.51.100.{i}"));
        }

        var second = new FlowAttribution(index, recordContacts: true, buffers);
        second.OnFlow(Flow("10.0.0.5", "203.0.113.7"));

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(first.ContactsV4, out var grown));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(second.ContactsV4, out var reused));
        Assert.Same(grown.Array, reused.Array);
        Assert.Equal([new ContactV4((uint)IpKey.Parse("203.0.113.7").Value, 0, true)], second.ContactsV4.ToArray());
    }

    [Fact]
    public void A_flow_between_two_instances_counts_for_both()
    {
        var index = FixedIpIndex.Build([Web, Db]);
        var attribution = new FlowAttribution(index, recordContacts: true);

        attribution.OnFlow(Flow("10.0.0.5", "10.0.0.6"));

        Assert.True(index.TryFind(IpKey.Parse("10.0.0.6"), out int db));
        Assert.Same(Db, index[db].Instance);
        Assert.Equal(1, attribution.Counts[0]);
        Assert.Equal(1, attribution.Counts[db]);
        Assert.Equal(
            [new ContactV4((uint)IpKey.Parse("10.0.0.6").Value, 0, true), new ContactV4((uint)IpKey.Parse("10.0.0.5").Value, db, false)],
            attribution.ContactsV4.ToArray());
    }

    [Fact]
    public void A_flow_from_a_fixed_IP_to_itself_counts_once()
    {
        var attribution = new FlowAttribution(FixedIpIndex.Build([Web]));

        attribution.OnFlow(Flow("10.0.0.5", "10.0.0.5"));

        Assert.Equal(1, attribution.Counts[0]);
    }

    [Fact]
    public void IPv6_matches_however_metadata_and_conntrack_spell_it()
    {
        var index = FixedIpIndex.Build([Web]);
        var attribution = new FlowAttribution(index);
        byte[] proc = "ipv6     10 tcp      6 10 ESTABLISHED src=2001:0db8:0000:0000:0000:0000:0000:0005 dst=2001:0db8:0000:0000:0000:0000:0000:0099 zone=0 use=2\n"u8.ToArray();

        ConntrackTableReader.Read(proc, attribution);
        attribution.OnFlow(Flow("2001:db8::99", "2001:db8::5"));

        Assert.True(index.TryFind(IpKey.Parse("2001:db8::5"), out int slot));
        Assert.Equal(2, attribution.Counts[slot]);
        Assert.Equal("2001:DB8::5", index[slot].FixedIp.Address);
        Assert.Equal("2001:db8::5", index[slot].Address.ToString());
    }

    [Fact]
    public void IPv4_and_IPv6_with_the_same_number_are_different_addresses()
    {
        var index = FixedIpIndex.Build([InstanceBuilder.Nova().FixedIp("0.0.0.1", 4)]);

        Assert.True(index.TryFind(IpKey.Parse("0.0.0.1"), out _));
        Assert.False(index.TryFind(IpKey.Parse("::1"), out _));
    }

    [Fact]
    public void Unparsable_fixed_IPs_are_skipped_and_an_address_listed_twice_on_one_instance_is_one_slot()
    {
        Instance first = InstanceBuilder.Nova("a", "00000000-0000-0000-0000-00000000000a").FixedIp("10.0.0.1", 4).FixedIp("not-an-ip", 4).FixedIp("10.0.0.1", 4);
        Instance second = InstanceBuilder.Nova("b", "00000000-0000-0000-0000-00000000000b").FixedIp("10.0.0.01", 4).FixedIp("10.0.0.1", 4).FixedIp("fe80::1%eth0", 6).FixedIp("10.0.0.2", 4);
        Instance none = InstanceBuilder.Nova("c", "00000000-0000-0000-0000-00000000000c");

        var index = FixedIpIndex.Build([first, second, none]);

        Assert.Equal(3, index.Count);
        Assert.Equal(3, index.InvalidAddresses);
        Assert.Equal(1, index.DuplicateAddresses);
        Assert.True(index.TryFind(IpKey.Parse("10.0.0.1"), out int slot));
        Assert.Same(first, index[slot].Instance);
        Assert.Same(second, index[index.NextClaimant(slot)].Instance);
        Assert.Equal(-1, index.NextClaimant(index.NextClaimant(slot)));
        Assert.True(index.TryFind(IpKey.Parse("10.0.0.2"), out slot));
        Assert.Same(second, index[slot].Instance);
    }

    [Fact]
    public void Without_zones_an_address_two_instances_claim_counts_for_each_and_is_reported()
    {
        Instance a = Tenant("a", "10.0.0.5", PortA);
        Instance b = Tenant("b", "10.0.0.5", PortB);
        var index = FixedIpIndex.Build([a, b]);
        var attribution = new FlowAttribution(index, recordContacts: true);

        attribution.OnFlow(Flow("10.0.0.5", "198.51.100.9", zone: 5));
        attribution.OnFlow(Flow("198.51.100.7", "10.0.0.5"));

        Assert.Equal([2, 2], attribution.Counts);
        Assert.Equal([0, 1, 0, 1], attribution.ContactsV4.ToArray().Select(c => c.Slot));
        AmbiguousFixedIp ambiguous = Assert.Single(attribution.Ambiguous());
        Assert.Equal(IpKey.Parse("10.0.0.5"), ambiguous.Address);
        Assert.Equal([0, 1], ambiguous.Slots);
        Assert.Equal([0], index.Ambiguous);
    }

    [Fact]
    public void A_zone_of_the_node_counts_an_entry_for_the_claimant_whose_port_has_it_only()
    {
        var index = FixedIpIndex.Build([Tenant("a", "10.0.0.5", PortA), Tenant("b", "10.0.0.5", PortB)], Zones);
        var attribution = new FlowAttribution(index, recordContacts: true);

        attribution.OnFlow(Flow("10.0.0.5", "198.51.100.9", zone: 5));
        attribution.OnFlow(Flow("10.0.0.5", "198.51.100.9", zone: 5));
        attribution.OnFlow(Flow("203.0.113.4", "10.0.0.5", zone: 6));

        Assert.Equal([2, 1], attribution.Counts);
        Assert.Equal([(0, true), (0, true), (1, false)], attribution.ContactsV4.ToArray().Select(c => (c.Slot, c.Outbound)));
        Assert.Empty(attribution.Ambiguous());
        Assert.Empty(index.Ambiguous);
        Assert.Equal((ushort)5, index[0].Zone);
        Assert.Equal((ushort)6, index[1].Zone);
    }

    [Theory]
    [InlineData(0)]    // the default zone: nothing to tell the claimants apart by
    [InlineData(99)]   // a zone the backend did not assign
    public void An_entry_in_zone_0_or_an_unknown_zone_falls_back_to_the_address(int zone)
    {
        var index = FixedIpIndex.Build([Tenant("a", "10.0.0.5", PortA), Tenant("b", "10.0.0.5", PortB)], Zones);
        var attribution = new FlowAttribution(index);

        attribution.OnFlow(Flow("10.0.0.5", "198.51.100.9", zone: (ushort)zone));

        Assert.Equal([1, 1], attribution.Counts);
        Assert.Equal([0, 1], Assert.Single(attribution.Ambiguous()).Slots);
    }

    [Fact]
    public void An_entry_in_another_ports_or_a_routers_zone_does_not_count_for_an_address_outside_it()
    {
        // web (zone 5) talks to db (zone 6) on the same node: the kernel keeps one entry in each port's zone.
        Instance web = Tenant("web", "10.0.0.5", PortA);
        Instance db = Tenant("db", "10.0.0.6", PortB);
        var attribution = new FlowAttribution(FixedIpIndex.Build([web, db], Zones));

        attribution.OnFlow(Flow("10.0.0.5", "10.0.0.6", zone: 5));
        attribution.OnFlow(Flow("10.0.0.5", "10.0.0.6", zone: 6));
        attribution.OnFlow(Flow("10.0.0.5", "198.51.100.9", zone: 7)); // a router's SNAT zone: the port's own entry counts

        Assert.Equal([1, 1], attribution.Counts);
    }

    [Fact]
    public void Claimants_that_share_a_zone_or_lack_one_are_not_told_apart()
    {
        var shared = FixedIpIndex.Build([Tenant("a", "10.0.0.5", PortA), Tenant("b", "10.0.0.5", PortShared)], Zones);
        var attribution = new FlowAttribution(shared);
        attribution.OnFlow(Flow("10.0.0.5", "198.51.100.9", zone: 5));
        Assert.Equal([1, 1], attribution.Counts);
        Assert.Equal([0], shared.Ambiguous);

        var unzoned = FixedIpIndex.Build([Tenant("a", "10.0.0.5", PortA), Tenant("b", "10.0.0.5", "")], Zones);
        attribution = new FlowAttribution(unzoned);
        attribution.OnFlow(Flow("10.0.0.5", "198.51.100.9", zone: 5));
        Assert.Equal([1, 0], attribution.Counts); // the zone names port a; b's own entries would be unzoned
        Assert.Equal([0], unzoned.Ambiguous);
        Assert.Equal([0, 1], Assert.Single(attribution.Ambiguous()).Slots);
    }

    [Fact]
    public void One_instance_with_the_same_address_on_two_ports_is_one_slot_found_in_both_zones()
    {
        Instance twice = InstanceBuilder.Nova("twice", "00000000-0000-0000-0000-0000000000aa").FixedIp("10.0.0.5", 4, PortA).FixedIp("10.0.0.5", 4, PortB);
        var attribution = new FlowAttribution(FixedIpIndex.Build([twice], Zones));

        attribution.OnFlow(Flow("10.0.0.5", "198.51.100.9", zone: 5));
        attribution.OnFlow(Flow("10.0.0.5", "198.51.100.9", zone: 6));

        Assert.Equal([2], attribution.Counts);
        Assert.Empty(attribution.Ambiguous());
    }

    [Fact]
    public void An_empty_index_matches_nothing()
    {
        var attribution = new FlowAttribution(FixedIpIndex.Build([]));

        attribution.OnFlow(Flow("10.0.0.5", "10.0.0.6"));

        Assert.Empty(attribution.Counts);
        Assert.Equal(1, attribution.Flows);
    }

    [Fact]
    public void A_thousand_instances_are_each_found_in_one_pass()
    {
        List<Instance> instances = Instances(1_000);
        var index = FixedIpIndex.Build(instances);
        var attribution = new FlowAttribution(index);
        var text = new System.Text.StringBuilder();
        for (int i = 1; i <= 1_000; i++)
        {
            text.Append($"ipv4 2 udp 17 29 src=10.{i >> 16 & 0xFF}.{i >> 8 & 0xFF}.{i & 0xFF} dst=203.0.113.1 sport=1 dport=53\n");
            text.Append($"ipv6 10 tcp 6 10 ESTABLISHED src=2001:db8::1 dst=fd00:0000:0000:0000:0000:0000:{i >> 16:x4}:{i & 0xFFFF:x4}\n");
            text.Append("ipv4 2 udp 17 29 src=192.0.2.1 dst=203.0.113.1 sport=1 dport=53\n");
        }

        ConntrackReadResult result = ConntrackTableReader.Read(System.Text.Encoding.ASCII.GetBytes(text.ToString()), attribution);

        Assert.Equal(new ConntrackReadResult(3_000, 3_000, 0), result);
        Assert.Equal(2_000, index.Count);
        Assert.All(attribution.Counts.ToArray(), count => Assert.Equal(1, count));
        for (int slot = 0; slot < index.Count; slot++)
        {
            Assert.Same(instances[slot / 2], index[slot].Instance);
        }
    }

    [Fact]
    public void Reset_zeroes_the_counts()
    {
        var attribution = new FlowAttribution(FixedIpIndex.Build([Web]));
        attribution.OnFlow(Flow("10.0.0.5", "10.0.0.9"));

        attribution.Reset();

        Assert.Equal(0, attribution.Counts[0]);
        Assert.Equal(0, attribution.Flows);
    }

    private const string PortA = "aaaaaaaa-0000-4000-8000-00000000000a";
    private const string PortB = "bbbbbbbb-0000-4000-8000-00000000000b";
    private const string PortShared = "cccccccc-0000-4000-8000-00000000000c";

    /// <summary>A node's zones: port a in 5, port b in 6, port c also in 5, and 7 a router's.</summary>
    private static readonly PortZones Zones = new(new() { [PortA] = 5, [PortB] = 6, [PortShared] = 5 }, [7]);

    private static Instance Tenant(string name, string ip, string port) =>
        InstanceBuilder.Nova(name, $"00000000-0000-0000-0000-{name.Length:x12}").FixedIp(ip, 4, port);

    private static ConntrackFlow Flow(string source, string destination, ushort zone = 0) =>
        new(IpKey.Parse(source), IpKey.Parse(destination), 6, zone);

    private sealed class PortZones(Dictionary<string, ushort> ports, ushort[] others) : IPortZones
    {
        public bool TryGetZone(string portId, out ushort zone) => ports.TryGetValue(portId, out zone);

        public bool IsKnownZone(ushort zone) => ports.ContainsValue(zone) || others.Contains(zone);
    }
}
