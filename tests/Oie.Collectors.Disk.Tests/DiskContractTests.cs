using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.Disk;
using Snapshooter.Xunit;

namespace Oie.Collectors.Disk.Tests;

/// <summary>Names, help, types, label order and flags are a contract with operators' dashboards and command lines.</summary>
public sealed class DiskContractTests
{
    private static readonly string[] Labels =
        ["domain", "instance_uuid", "user_uuid", "project_uuid", "disk_uuid", "disk_type", "disk_path"];

    [Fact]
    public void Families_and_flags_match_the_snapshot()
    {
        var collector = Plugin.Create<DiskCollector>(new FakeTimeProvider());
        Snapshot.Match(Contract.Of<DiskCollector>(collector));
    }

    [Fact]
    public void Families_are_the_seeds_in_order_with_thresholds_static_and_counters_dynamic()
    {
        var families = Plugin.Create<DiskCollector>(new FakeTimeProvider()).Families;
        Assert.Equal(
            [
                ("oie_disk_r_alert_threshold", "Disk read alert threshold", MetricType.Gauge, CacheLifetime.Static),
                ("oie_disk_w_alert_threshold", "Disk write alert threshold", MetricType.Gauge, CacheLifetime.Static),
                ("oie_disk_r_gbytes", "Disk read gigabytes", MetricType.Counter, CacheLifetime.Dynamic),
                ("oie_disk_w_gbytes", "Disk write gigabytes", MetricType.Counter, CacheLifetime.Dynamic),
                ("oie_disk_r_requests", "Disk read requests", MetricType.Counter, CacheLifetime.Dynamic),
                ("oie_disk_w_requests", "Disk write requests", MetricType.Counter, CacheLifetime.Dynamic),
            ],
            families.Select(f => (f.Name, f.Help, f.Type, f.Lifetime)));
        Assert.All(families, f => Assert.Equal(Labels, f.LabelNames.ToArray()));
    }

    [Theory]
    [InlineData("read.thresholds", "\"\"")]
    [InlineData("write.thresholds", "\"\"")]
    [InlineData("default.read.threshold", "100")]
    [InlineData("default.write.threshold", "100")]
    public void Flags_have_the_seeds_names_and_defaults(string name, string defaultText)
    {
        Assert.True(Plugin.FlagsOf<DiskCollector>().TryGet(name, out var flag));
        Assert.Equal(defaultText, flag.DefaultText);
    }
}
