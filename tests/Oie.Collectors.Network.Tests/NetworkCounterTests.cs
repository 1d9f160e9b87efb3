using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.Network;

namespace Oie.Collectors.Network.Tests;

/// <summary>Per-interface counters: values, all-zero suppression and labels.</summary>
public sealed class NetworkCounterTests
{
    private const long GiB = 1L << 30;

    private static RecordingSampleWriter Run(params Instance[] vms) =>
        Plugin.Create<NetworkCollector>(new FakeTimeProvider()).Run(Cycle.Of(0, vms));

    [Fact]
    public void All_eight_counters_are_written_in_family_order_with_bytes_in_gib()
    {
        var counters = new InterfaceCounters(
            RxBytes: 5 * GiB / 4, RxPackets: 11, RxErrors: 12, RxDrops: 13,
            TxBytes: 3, TxPackets: 21, TxErrors: 22, TxDrops: 23);
        var samples = Run(InstanceBuilder.Nova().Nic("tap0", counters));
        Assert.Equal(
            [
                ("oie_net_rx_gbytes", 1.25),
                ("oie_net_tx_gbytes", 3 / 1073741824.0),
                ("oie_net_rx_pkt_total", 11.0),
                ("oie_net_tx_pkt_total", 21.0),
                ("oie_net_rx_er_total", 12.0),
                ("oie_net_tx_er_total", 22.0),
                ("oie_net_rx_drp_total", 13.0),
                ("oie_net_tx_drp_total", 23.0),
            ],
            samples.Samples.Select(s => (s.Name, s.Value)));
    }

    [Fact]
    public void Gbytes_are_not_rounded()
    {
        var samples = Run(InstanceBuilder.Nova().Nic("tap0", new InterfaceCounters(987_654_321, 1, 0, 0, 1_000_000_001, 1, 0, 0)));
        Assert.Equal(987_654_321 / 1073741824.0, Assert.Single(samples.Of("oie_net_rx_gbytes")).Value);
        Assert.Equal(1_000_000_001 / 1073741824.0, Assert.Single(samples.Of("oie_net_tx_gbytes")).Value);
    }

    [Fact]
    public void An_interface_whose_counters_are_all_zero_exports_nothing()
    {
        Assert.Empty(Run(InstanceBuilder.Nova().Nic("tap0", new InterfaceCounters())).Samples);
    }

    [Fact]
    public void An_interface_without_stats_this_cycle_exports_nothing()
    {
        Assert.Empty(Run(InstanceBuilder.Nova().Nic("tap0", counters: null)).Samples);
        Assert.Empty(Run(InstanceBuilder.Nova().Nic("tap0").Nic("tap1").NoInterfaceStats()).Samples);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void Any_one_non_zero_counter_exports_all_eight(int which)
    {
        var c = new long[8];
        c[which] = 1;
        var counters = new InterfaceCounters(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
        var samples = Run(InstanceBuilder.Nova().Nic("tap0", counters));
        Assert.Equal(8, samples.Samples.Count);
        Assert.Equal(1.0, samples.Samples.Sum(s => s.Name.EndsWith("gbytes", StringComparison.Ordinal) ? s.Value * GiB : s.Value));
    }

    [Fact]
    public void Each_interface_is_judged_on_its_own_counters()
    {
        var vm = InstanceBuilder.Nova()
            .Nic("tap-idle", new InterfaceCounters())
            .Nic("tap-busy", new InterfaceCounters(100, 1, 0, 0, 0, 0, 0, 0))
            .Nic("tap-gone", null);
        var samples = Run(vm);
        Assert.Equal(8, samples.Samples.Count);
        Assert.All(samples.Samples, s => Assert.Equal("tap-busy", s.Label("interface")));
    }

    [Fact]
    public void Nova_interfaces_carry_domain_interface_and_openstack_uuids_in_order()
    {
        var vm = InstanceBuilder.Nova("instance-0000002a", "uuid-i", "uuid-u", "uuid-p")
            .Nic("tap1234abcd-ef", new InterfaceCounters(1, 1, 0, 0, 1, 1, 0, 0));
        var samples = Run(vm);
        Assert.Equal(8, samples.Samples.Count);
        Assert.All(samples.Samples, s => Assert.Equal(["instance-0000002a", "tap1234abcd-ef", "uuid-i", "uuid-u", "uuid-p"], s.Labels));
        Assert.All(samples.Samples, s => Assert.Equal("uuid-i", s.Instance!.Facts.InstanceUuid));
    }

    [Fact]
    public void Non_nova_instances_carry_empty_openstack_labels()
    {
        var samples = Run(InstanceBuilder.NonNova("plain-vm", "uuid-x").Nic("vnet0", new InterfaceCounters(1, 1, 0, 0, 0, 0, 0, 0)));
        Assert.Equal(8, samples.Samples.Count);
        Assert.All(samples.Samples, s => Assert.Equal(["plain-vm", "vnet0", "uuid-x", "", ""], s.Labels));
    }

    [Fact]
    public void Instances_and_interfaces_are_written_in_listing_order()
    {
        var active = new InterfaceCounters(1, 0, 0, 0, 0, 0, 0, 0);
        var a = InstanceBuilder.Nova("a", "uuid-a").Nic("tap-a0", active).Nic("tap-a1", active);
        var b = InstanceBuilder.Nova("b", "uuid-b").Nic("tap-b0", active);
        var samples = Run(a, b).Of("oie_net_rx_gbytes");
        Assert.Equal(["tap-a0", "tap-a1", "tap-b0"], samples.Select(s => s.Label("interface")));
    }
}
