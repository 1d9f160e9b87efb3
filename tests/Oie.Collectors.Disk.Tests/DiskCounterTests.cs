using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.Disk;

namespace Oie.Collectors.Disk.Tests;

/// <summary>I/O counters: values, all-zero suppression and labels.</summary>
public sealed class DiskCounterTests
{
    private const long GiB = 1L << 30;

    private static RecordingSampleWriter Run(params Instance[] vms) =>
        Plugin.Create<DiskCollector>(new FakeTimeProvider()).Run(Cycle.Of(0, vms));

    [Fact]
    public void Counters_are_written_after_the_thresholds_with_bytes_in_gib_and_requests_as_is()
    {
        var io = new BlockCounters(ReadRequests: 1234, ReadBytes: 3 * GiB + GiB / 2, WriteRequests: 56, WriteBytes: 1);
        var samples = Run(InstanceBuilder.Nova().Disk("vda", "local", "/f", io));
        Assert.Equal(
            [
                ("oie_disk_r_alert_threshold", 100.0),
                ("oie_disk_w_alert_threshold", 100.0),
                ("oie_disk_r_gbytes", 3.5),
                ("oie_disk_w_gbytes", 1.0 / 1073741824.0),
                ("oie_disk_r_requests", 1234.0),
                ("oie_disk_w_requests", 56.0),
            ],
            samples.Samples.Select(s => (s.Name, s.Value)));
    }

    [Fact]
    public void Gbytes_are_not_rounded()
    {
        var io = new BlockCounters(1, 1_500_000_000, 1, 123_456_789_012);
        var samples = Run(InstanceBuilder.Nova().Disk("vda", "local", "/f", io));
        Assert.Equal(1_500_000_000 / 1073741824.0, Assert.Single(samples.Of("oie_disk_r_gbytes")).Value);
        Assert.Equal(123_456_789_012 / 1073741824.0, Assert.Single(samples.Of("oie_disk_w_gbytes")).Value);
    }

    [Fact]
    public void A_disk_with_all_four_counters_zero_exports_only_its_thresholds()
    {
        var samples = Run(InstanceBuilder.Nova().Disk("vda", "local", "/f", new BlockCounters(0, 0, 0, 0)));
        Assert.Equal(["oie_disk_r_alert_threshold", "oie_disk_w_alert_threshold"], samples.Names);
    }

    [Theory]
    [InlineData(1, 0, 0, 0)]
    [InlineData(0, 1, 0, 0)]
    [InlineData(0, 0, 1, 0)]
    [InlineData(0, 0, 0, 1)]
    public void Any_non_zero_counter_exports_all_four_including_the_zeros(long rdReq, long rdBytes, long wrReq, long wrBytes)
    {
        var samples = Run(InstanceBuilder.Nova().Disk("vda", "local", "/f", new BlockCounters(rdReq, rdBytes, wrReq, wrBytes)));
        Assert.Equal(6, samples.Samples.Count);
        Assert.Equal(rdReq, Assert.Single(samples.Of("oie_disk_r_requests")).Value);
        Assert.Equal(wrReq, Assert.Single(samples.Of("oie_disk_w_requests")).Value);
        Assert.Equal(rdBytes / 1073741824.0, Assert.Single(samples.Of("oie_disk_r_gbytes")).Value);
        Assert.Equal(wrBytes / 1073741824.0, Assert.Single(samples.Of("oie_disk_w_gbytes")).Value);
    }

    [Fact]
    public void Each_disk_is_judged_on_its_own_counters()
    {
        var vm = InstanceBuilder.Nova()
            .Disk("vda", "local", "/f", new BlockCounters(0, 0, 0, 0))
            .Disk("vdb", "volumes", "vol-1", new BlockCounters(5, 4096, 0, 0));
        var samples = Run(vm);
        Assert.All(samples.Of("oie_disk_r_requests"), s => Assert.Equal("vdb", s.Label("disk_path")));
        Assert.Single(samples.Of("oie_disk_r_requests"));
        Assert.Equal(2, samples.Of("oie_disk_r_alert_threshold").Count);
    }

    [Fact]
    public void Nova_disks_carry_instance_owner_and_disk_labels_in_order()
    {
        var vm = InstanceBuilder.Nova("instance-0000002a", "uuid-i", "uuid-u", "uuid-p")
            .Disk("vdb", "volumes", "b5e1c1c4-image", new BlockCounters(1, 1, 1, 1));
        var samples = Run(vm);
        Assert.Equal(6, samples.Samples.Count);
        Assert.All(samples.Samples, s => Assert.Equal(
            ["instance-0000002a", "uuid-i", "uuid-u", "uuid-p", "b5e1c1c4-image", "volumes", "vdb"], s.Labels));
    }

    [Fact]
    public void Non_nova_instances_carry_empty_openstack_labels()
    {
        var samples = Run(InstanceBuilder.NonNova("plain-vm", "uuid-x").Disk("hda", "unknown", "", new BlockCounters(1, 1, 1, 1)));
        Assert.All(samples.Samples, s => Assert.Equal(["plain-vm", "uuid-x", "", "", "", "unknown", "hda"], s.Labels));
    }

    [Fact]
    public void Every_instance_and_disk_is_written_in_listing_order()
    {
        var a = InstanceBuilder.Nova("a", "uuid-a").Disk("vda", "local", "/a").Disk("vdb", "local", "/b");
        var b = InstanceBuilder.Nova("b", "uuid-b").Disk("vda", "local", "/c");
        var samples = Run(a, b).Of("oie_disk_r_alert_threshold");
        Assert.Equal(["a/vda", "a/vdb", "b/vda"], samples.Select(s => s.Label("domain") + "/" + s.Label("disk_path")));
        Assert.Equal(["uuid-a", "uuid-a", "uuid-b"], samples.Select(s => s.Instance!.Facts.InstanceUuid));
    }

    [Fact]
    public void An_instance_without_disks_writes_nothing()
    {
        Assert.Empty(Run(InstanceBuilder.Nova()).Samples);
    }
}
