using System.Text;

namespace Oie.Libvirt.Tests;

public class BulkDomainStatsTests
{
    private static BulkDomainStats Record(params (string Field, object Value)[] fields)
    {
        var stats = new BulkDomainStats();
        foreach (var (field, value) in fields)
        {
            if (value is string s)
                stats.SetString(Encoding.UTF8.GetBytes(field), s);
            else
                stats.SetNumber(Encoding.UTF8.GetBytes(field), Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
        }
        return stats;
    }

    [Fact]
    public void Maps_state_cpu_and_counts()
    {
        var stats = Record(("state.state", 3), ("state.reason", 1), ("cpu.time", 123456789L), ("cpu.user", 5L),
            ("block.count", 2), ("net.count", 1));

        Assert.Equal(3, stats.State);
        Assert.Equal(123456789L, stats.CpuTimeNs);
        Assert.Equal(2, stats.BlockCount);
        Assert.Equal(1, stats.NetCount);
    }

    [Fact]
    public void Block_counters_are_found_by_name_not_index()
    {
        var stats = Record(
            ("block.count", 2),
            ("block.0.name", "vdb"), ("block.0.rd.reqs", 1), ("block.0.rd.bytes", 2), ("block.0.wr.reqs", 3), ("block.0.wr.bytes", 4),
            ("block.0.rd.times", 99), ("block.0.allocation", 77),
            ("block.1.name", "vda"), ("block.1.path", "/var/lib/nova/instances/x/disk"),
            ("block.1.rd.reqs", 10), ("block.1.rd.bytes", 20), ("block.1.wr.reqs", 30), ("block.1.wr.bytes", 40));

        Assert.Equal(new BlockCounters(10, 20, 30, 40), stats.Block("vda"));
        Assert.Equal(new BlockCounters(1, 2, 3, 4), stats.Block("vdb"));
        Assert.Null(stats.Block("vdc"));
        Assert.True(stats.HasBlock("vda"));
        Assert.False(stats.HasBlock("vdc"));
    }

    [Fact]
    public void Interface_counters_map_all_eight_fields()
    {
        var stats = Record(("net.count", 1), ("net.0.name", "tap1"),
            ("net.0.rx.bytes", 1), ("net.0.rx.pkts", 2), ("net.0.rx.errs", 3), ("net.0.rx.drop", 4),
            ("net.0.tx.bytes", 5), ("net.0.tx.pkts", 6), ("net.0.tx.errs", 7), ("net.0.tx.drop", 8));

        Assert.Equal(new InterfaceCounters(1, 2, 3, 4, 5, 6, 7, 8), stats.Interface("tap1"));
    }

    [Fact]
    public void Incomplete_device_gives_null_counters()
    {
        // What NOWAIT leaves for a domain busy in a job: names but no counters.
        var stats = Record(("block.count", 1), ("block.0.name", "vda"), ("block.0.rd.reqs", 1),
            ("net.count", 1), ("net.0.name", "tap1"), ("net.0.rx.bytes", 1));

        Assert.Null(stats.Block("vda"));
        Assert.Null(stats.Interface("tap1"));
        Assert.True(stats.HasBlock("vda"));
        Assert.Null(stats.CpuTimeNs);
    }

    [Fact]
    public void Malformed_and_absurd_indexes_are_ignored()
    {
        var stats = Record(("block.x.name", "vda"), ("block.999999999.name", "vdb"), ("block.1name", "vdc"), ("block.-1.name", "vdd"));

        Assert.False(stats.HasBlock("vda"));
        Assert.False(stats.HasBlock("vdb"));
        Assert.False(stats.HasBlock("vdc"));
        Assert.False(stats.HasBlock("vdd"));
    }
}
