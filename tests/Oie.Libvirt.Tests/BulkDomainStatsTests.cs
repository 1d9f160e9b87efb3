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

    [Fact]
    public void Balloon_fields_are_bytes_and_faults_are_counts()
    {
        var stats = Record(("balloon.current", 131072), ("balloon.maximum", 262144), ("balloon.rss", 237800),
            ("balloon.available", 120000), ("balloon.usable", 90000), ("balloon.unused", 80000),
            ("balloon.swap_in", 3), ("balloon.swap_out", 4), ("balloon.major_fault", 55), ("balloon.minor_fault", 6666),
            ("balloon.last-update", 1700000000), ("balloon.disk_caches", 1234));

        var memory = stats.Memory!;

        Assert.Equal(128L * 1024 * 1024, memory.CurrentBytes);
        Assert.Equal(256L * 1024 * 1024, memory.MaximumBytes);
        Assert.Equal(237800L * 1024, memory.RssBytes);
        Assert.Equal(120000L * 1024, memory.AvailableBytes);
        Assert.Equal(90000L * 1024, memory.UsableBytes);
        Assert.Equal(80000L * 1024, memory.UnusedBytes);
        Assert.Equal(3L * 1024, memory.SwapInBytes);
        Assert.Equal(4L * 1024, memory.SwapOutBytes);
        Assert.Equal(55, memory.MajorFaults);
        Assert.Equal(6666, memory.MinorFaults);
    }

    /// <summary>A guest without a balloon driver (or stats period) gives current, maximum and rss only: the guest-side
    /// fields stay absent, never 0; a record without any balloon field (not asked, or skipped by NOWAIT) has no memory.</summary>
    [Fact]
    public void Missing_balloon_fields_stay_null()
    {
        var partial = Record(("balloon.current", 65536), ("balloon.maximum", 65536), ("balloon.rss", 53232)).Memory!;

        Assert.Equal(64L * 1024 * 1024, partial.CurrentBytes);
        Assert.Equal(53232L * 1024, partial.RssBytes);
        Assert.Null(partial.AvailableBytes);
        Assert.Null(partial.UsableBytes);
        Assert.Null(partial.UnusedBytes);
        Assert.Null(partial.SwapInBytes);
        Assert.Null(partial.MajorFaults);
        Assert.Null(Record(("state.state", 1), ("cpu.time", 5L)).Memory);
    }

    [Fact]
    public void Vcpu_delay_is_summed_over_vcpus()
    {
        var stats = Record(("vcpu.current", 2), ("vcpu.maximum", 4),
            ("vcpu.0.state", 1), ("vcpu.0.time", 4670000000L), ("vcpu.0.wait", 0), ("vcpu.0.delay", 793127003L),
            ("vcpu.1.state", 1), ("vcpu.1.time", 10L), ("vcpu.1.delay", 1000L));

        Assert.Equal(new VcpuStats(2, 4, 793128003L), stats.Vcpu);
    }

    [Fact]
    public void Vcpu_delay_absent_is_null_not_zero()
    {
        var stats = Record(("vcpu.current", 1), ("vcpu.maximum", 1), ("vcpu.0.state", 1), ("vcpu.0.time", 5L), ("vcpu.0.wait", 0));

        Assert.Equal(new VcpuStats(1, 1, null), stats.Vcpu);
        Assert.Null(Record(("state.state", 1)).Vcpu);
        Assert.Null(Record(("vcpu.x.delay", 5L), ("vcpu.0.delayed", 5L)).Vcpu);
    }

    [Fact]
    public void Disk_sizes_are_found_by_name_and_absent_when_not_reported()
    {
        var stats = Record(("block.count", 3),
            ("block.0.name", "vdb"), ("block.0.allocation", 69632), ("block.0.capacity", 33554432), ("block.0.physical", 33554432),
            ("block.1.name", "vda"), ("block.1.rd.reqs", 1), ("block.1.rd.bytes", 2), ("block.1.wr.reqs", 3), ("block.1.wr.bytes", 4),
            ("block.1.allocation", 0), ("block.1.capacity", 67108864), ("block.1.physical", 204800),
            ("block.2.name", "vdc"), ("block.2.rd.reqs", 1), ("block.2.capacity", 1024));

        Assert.Equal(new DiskCapacity(67108864, 0, 204800), stats.Capacity("vda"));
        Assert.Equal(new DiskCapacity(33554432, 69632, 33554432), stats.Capacity("vdb"));
        Assert.Equal(new DiskCapacity(1024, null, null), stats.Capacity("vdc"));
        Assert.Null(Record(("block.count", 1), ("block.0.name", "vda"), ("block.0.rd.reqs", 1)).Capacity("vda"));
        Assert.Null(stats.Capacity("vdz"));
        // The sizes are not counters: they neither complete nor spoil a disk's four counters.
        Assert.Equal(new BlockCounters(1, 2, 3, 4), stats.Block("vda"));
        Assert.Null(stats.Block("vdb"));
    }

    /// <summary>What a seed run asks the bulk call for, as the Go-compatible exporter always did: state, cpu-total,
    /// interface and block (1|2|16|32); balloon (4) and vcpu (8) only for the readings that need them.</summary>
    [Fact]
    public void Bulk_groups_grow_only_with_the_readings()
    {
        Assert.Equal(51u, LibvirtInstanceSource.BulkGroupsFor(InstanceReadings.None));
        Assert.Equal(51u, LibvirtInstanceSource.BulkGroupsFor(InstanceReadings.DiskCapacity | InstanceReadings.Jobs));
        Assert.Equal(55u, LibvirtInstanceSource.BulkGroupsFor(InstanceReadings.Memory));
        Assert.Equal(59u, LibvirtInstanceSource.BulkGroupsFor(InstanceReadings.Vcpu));
        Assert.Equal(63u, LibvirtInstanceSource.BulkGroupsFor(InstanceReadings.Memory | InstanceReadings.Vcpu));
    }
}
