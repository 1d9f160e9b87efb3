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
    public void Counts_a_flow_for_its_source_and_its_destination_and_tells_the_observer()
    {
        var observer = new RecordingObserver();
        var attribution = new FlowAttribution(FixedIpIndex.Build([Web, Db]), observer);

        attribution.OnFlow(Flow("10.0.0.5", "198.51.100.9"));
        attribution.OnFlow(Flow("198.51.100.9", "10.0.0.5"));
        attribution.OnFlow(Flow("198.51.100.9", "198.51.100.10"));

        Assert.Equal([2, 0, 0], attribution.Counts.ToArray());
        Assert.Equal(3, attribution.Flows);
        Assert.Equal([(0, Remote, FlowDirection.Outbound), (0, Remote, FlowDirection.Inbound)], observer.Contacts);
    }

    [Fact]
    public void A_flow_between_two_instances_counts_for_both()
    {
        var observer = new RecordingObserver();
        var index = FixedIpIndex.Build([Web, Db]);
        var attribution = new FlowAttribution(index, observer);

        attribution.OnFlow(Flow("10.0.0.5", "10.0.0.6"));

        Assert.True(index.TryFind(IpKey.Parse("10.0.0.6"), out int db));
        Assert.Same(Db, index[db].Instance);
        Assert.Equal(1, attribution.Counts[0]);
        Assert.Equal(1, attribution.Counts[db]);
        Assert.Equal([(0, IpKey.Parse("10.0.0.6"), FlowDirection.Outbound), (db, IpKey.Parse("10.0.0.5"), FlowDirection.Inbound)], observer.Contacts);
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
        Assert.Equal("2001:db8::5", index[slot].Key.ToString());
    }

    [Fact]
    public void IPv4_and_IPv6_with_the_same_number_are_different_addresses()
    {
        var index = FixedIpIndex.Build([InstanceBuilder.Nova().FixedIp("0.0.0.1", 4)]);

        Assert.True(index.TryFind(IpKey.Parse("0.0.0.1"), out _));
        Assert.False(index.TryFind(IpKey.Parse("::1"), out _));
    }

    [Fact]
    public void Unparsable_and_duplicate_fixed_IPs_are_skipped_and_counted()
    {
        Instance first = InstanceBuilder.Nova("a", "00000000-0000-0000-0000-00000000000a").FixedIp("10.0.0.1", 4).FixedIp("not-an-ip", 4).FixedIp("10.0.0.1", 4);
        Instance second = InstanceBuilder.Nova("b", "00000000-0000-0000-0000-00000000000b").FixedIp("10.0.0.01", 4).FixedIp("10.0.0.1", 4).FixedIp("fe80::1%eth0", 6).FixedIp("10.0.0.2", 4);
        Instance none = InstanceBuilder.Nova("c", "00000000-0000-0000-0000-00000000000c");

        var index = FixedIpIndex.Build([first, second, none]);

        Assert.Equal(2, index.Count);
        Assert.Equal(3, index.InvalidAddresses);
        Assert.Equal(2, index.DuplicateAddresses);
        Assert.True(index.TryFind(IpKey.Parse("10.0.0.1"), out int slot));
        Assert.Same(first, index[slot].Instance);
        Assert.True(index.TryFind(IpKey.Parse("10.0.0.2"), out slot));
        Assert.Same(second, index[slot].Instance);
    }

    [Fact]
    public void An_empty_index_matches_nothing()
    {
        var attribution = new FlowAttribution(FixedIpIndex.Build([]));

        attribution.OnFlow(Flow("10.0.0.5", "10.0.0.6"));

        Assert.Equal(0, attribution.Counts.Length);
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

    private static ConntrackFlow Flow(string source, string destination) => new(IpKey.Parse(source), IpKey.Parse(destination), 6);

    private sealed class RecordingObserver : IContactObserver
    {
        public List<(int Slot, IpKey Remote, FlowDirection Direction)> Contacts { get; } = [];

        public void OnContact(int fixedIpSlot, in IpKey remote, FlowDirection direction) => Contacts.Add((fixedIpSlot, remote, direction));
    }
}
