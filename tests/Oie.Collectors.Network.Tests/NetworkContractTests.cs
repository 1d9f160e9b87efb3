using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.Network;
using Snapshooter.Xunit;

namespace Oie.Collectors.Network.Tests;

/// <summary>Names, help, types and label order are a contract with operators' dashboards.</summary>
public sealed class NetworkContractTests
{
    [Fact]
    public void Families_and_flags_match_the_snapshot()
    {
        var collector = Plugin.Create<NetworkCollector>(new FakeTimeProvider());
        Snapshot.Match(Contract.Of<NetworkCollector>(collector));
    }

    [Fact]
    public void Families_are_the_seeds_eight_counters_in_order_with_interface_as_second_label()
    {
        var families = Plugin.Create<NetworkCollector>(new FakeTimeProvider()).Families;
        Assert.Equal(
            [
                ("oie_net_rx_gbytes", "Network receive gigabytes"),
                ("oie_net_tx_gbytes", "Network transmit gigabytes"),
                ("oie_net_rx_pkt_total", "Network receive packets"),
                ("oie_net_tx_pkt_total", "Network transmit packets"),
                ("oie_net_rx_er_total", "Network receive errors"),
                ("oie_net_tx_er_total", "Network transmit errors"),
                ("oie_net_rx_drp_total", "Network receive dropped packets"),
                ("oie_net_tx_drp_total", "Network transmit dropped packets"),
            ],
            families.Select(f => (f.Name, f.Help)));
        Assert.All(families, f =>
        {
            Assert.Equal(MetricType.Counter, f.Type);
            Assert.Equal(CacheLifetime.Dynamic, f.Lifetime);
            Assert.Equal(["domain", "interface", "instance_uuid", "user_uuid", "project_uuid"], f.LabelNames.ToArray());
        });
    }

    [Fact]
    public void The_network_collector_owns_no_flags()
    {
        Assert.Empty(Plugin.FlagsOf<NetworkCollector>().Flags);
    }
}
