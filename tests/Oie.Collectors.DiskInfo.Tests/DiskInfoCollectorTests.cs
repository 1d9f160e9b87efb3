using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.Disk;
using Oie.Collectors.DiskInfo;
using Snapshooter.Xunit;

namespace Oie.Collectors.DiskInfo.Tests;

public sealed class DiskInfoCollectorTests
{
    private const string VolumeId = "55555555-0000-4000-8000-000000000001";
    private const long GiB = 1L << 30;

    private static RecordingSampleWriter Run(params Instance[] vms) =>
        Plugin.Create<DiskInfoCollector>(new FakeTimeProvider()).Run(Cycle.Of(0, vms));

    /// <summary>vda, a local image disk without a serial, and vdb, a Cinder volume whose serial is its volume id.</summary>
    private static Instance TwoDisks(params DiskCapacity?[] capacities)
    {
        var facts = InstanceBuilder.Nova()
            .Disk("vda", "local", "/var/lib/nova/instances/11111111-1111-1111-1111-111111111111/disk")
            .Disk("vdb", "volumes", "volume-" + VolumeId)
            .BuildFacts();
        facts = facts with { Disks = [facts.Disks[0], facts.Disks[1] with { Serial = VolumeId }] };
        return new Instance(facts, new InstanceStats { State = DomainRunState.Running, DiskCapacities = capacities });
    }

    [Fact]
    public void Families_and_flags_match_the_snapshot()
    {
        var collector = Plugin.Create<DiskInfoCollector>(new FakeTimeProvider());
        Snapshot.Match(Contract.Of<DiskInfoCollector>(collector));
    }

    [Fact]
    public void Reads_only_the_disk_capacities()
    {
        var collector = Assert.IsAssignableFrom<IInstanceReadingsConsumer>(Plugin.Create<DiskInfoCollector>(new FakeTimeProvider()));
        Assert.Equal(InstanceReadings.DiskCapacity, collector.Readings);
    }

    [Fact]
    public void Each_disk_gets_its_info_series_then_its_sizes_in_bytes()
    {
        var samples = Run(TwoDisks(new DiskCapacity(20 * GiB, 3 * GiB, 3 * GiB + 4096), new DiskCapacity(100 * GiB, 100 * GiB, 100 * GiB)));

        Assert.Equal(
            [
                ("oie_disk_info", "vda", 1.0), ("oie_disk_capacity_bytes", "vda", 20.0 * GiB),
                ("oie_disk_allocation_bytes", "vda", 3.0 * GiB), ("oie_disk_physical_bytes", "vda", 3.0 * GiB + 4096),
                ("oie_disk_info", "vdb", 1.0), ("oie_disk_capacity_bytes", "vdb", 100.0 * GiB),
                ("oie_disk_allocation_bytes", "vdb", 100.0 * GiB), ("oie_disk_physical_bytes", "vdb", 100.0 * GiB),
            ],
            samples.Samples.Select(s => (s.Name, s.Label("disk_path"), s.Value)));
        Assert.All(samples.Samples, s => Assert.Equal(MetricType.Gauge, s.Family.Type));
    }

    [Fact]
    public void The_info_series_carries_the_seeds_disk_labels_then_the_serial()
    {
        var info = Run(TwoDisks()).Of("oie_disk_info");

        Assert.Equal(["domain", "instance_uuid", "user_uuid", "project_uuid", "disk_uuid", "disk_type", "disk_path", "serial"],
            info[0].Family.LabelNames.ToArray());
        Assert.Equal(["instance-00000001", "11111111-1111-1111-1111-111111111111", "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa",
            "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb", "/var/lib/nova/instances/11111111-1111-1111-1111-111111111111/disk", "local", "vda", ""],
            info[0].Labels);
        Assert.Equal(["volume-" + VolumeId, "volumes", "vdb", VolumeId], info[1].Labels.Skip(4));
    }

    [Fact]
    public void Size_series_carry_exactly_the_labels_the_disk_collector_gives_the_same_disk()
    {
        var instance = TwoDisks(new DiskCapacity(1, 2, 3), new DiskCapacity(4, 5, 6));
        var disk = Plugin.Create<DiskCollector>(new FakeTimeProvider()).Run(Cycle.Of(0, instance)).Of("oie_disk_r_alert_threshold");
        var sizes = Run(instance);

        foreach (var name in new[] { "oie_disk_capacity_bytes", "oie_disk_allocation_bytes", "oie_disk_physical_bytes" })
        {
            var written = sizes.Of(name);
            Assert.Equal(disk[0].Family.LabelNames.ToArray(), written[0].Family.LabelNames.ToArray());
            Assert.Equal(disk.Select(s => s.Labels), written.Select(s => s.Labels));
        }
    }

    [Fact]
    public void A_size_libvirt_did_not_report_is_absent_and_a_disk_without_capacities_keeps_its_info()
    {
        var samples = Run(TwoDisks(new DiskCapacity(CapacityBytes: 10 * GiB, AllocationBytes: null, PhysicalBytes: null), null));

        Assert.Equal(
            [("oie_disk_info", "vda"), ("oie_disk_capacity_bytes", "vda"), ("oie_disk_info", "vdb")],
            samples.Samples.Select(s => (s.Name, s.Label("disk_path"))));
    }

    [Fact]
    public void Without_capacity_readings_every_disk_still_has_its_info_series()
    {
        // DiskCapacities is empty when libvirt could not be asked (or was not asked) this cycle.
        var samples = Run(TwoDisks(), InstanceBuilder.NonNova().Disk("sda", "unknown", "/srv/plain.img"));

        Assert.Equal(["vda", "vdb", "sda"], samples.Samples.Select(s => s.Label("disk_path")));
        Assert.All(samples.Samples, s => Assert.Equal(("oie_disk_info", 1.0), (s.Name, s.Value)));
    }
}
