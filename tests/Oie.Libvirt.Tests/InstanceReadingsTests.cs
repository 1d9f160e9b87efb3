using System.Globalization;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;

namespace Oie.Libvirt.Tests;

/// <summary>The opt-in readings against the real libvirt.so.0 and its test driver, which has no bulk balloon/vcpu/block
/// groups: memory and vCPUs come from the domain info, disk sizes from virDomainGetBlockInfo, and it has no job calls.</summary>
public class InstanceReadingsTests
{
    private const InstanceReadings AllButJobs = InstanceReadings.Memory | InstanceReadings.Vcpu | InstanceReadings.DiskCapacity;

    private static LibvirtInstanceSource Source(InstanceReadings readings, Microsoft.Extensions.Logging.ILogger<LibvirtInstanceSource>? logger = null) =>
        new(Fixtures.Uri(Fixtures.Node), logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<LibvirtInstanceSource>.Instance,
            new FakeTimeProvider(), readings);

    /// <summary>Per domain of the node file: memory and currentMemory (KiB; currentMemory defaults to memory) and vCPUs.</summary>
    private static Dictionary<string, (long MemoryKiB, long CurrentKiB, int Vcpus)> NodeXml()
    {
        var node = XDocument.Load(Fixtures.Node).Root!;
        return node.Elements("domain").ToDictionary(
            d => d.Element("name")!.Value,
            d =>
            {
                var memory = long.Parse(d.Element("memory")!.Value, CultureInfo.InvariantCulture);
                var current = d.Element("currentMemory") is { } c ? long.Parse(c.Value, CultureInfo.InvariantCulture) : memory;
                return (memory, current, int.Parse(d.Element("vcpu")!.Value, CultureInfo.InvariantCulture));
            });
    }

    [Fact]
    public void Memory_vcpus_and_disk_sizes_come_from_the_domain_info_and_block_info()
    {
        using var source = Source(AllButJobs);
        var expected = NodeXml();

        var result = source.Read();

        Assert.True(result.Available, result.Error);
        Assert.Equal(0, result.DomainErrors);
        Assert.Equal(7, result.Instances.Count);
        foreach (var instance in result.Instances)
        {
            var (facts, stats) = (instance.Facts, instance.Stats);
            var xml = expected[facts.Domain];
            var memory = stats.Memory!;
            Assert.Equal(xml.CurrentKiB * 1024, memory.CurrentBytes);
            Assert.Equal(xml.MemoryKiB * 1024, memory.MaximumBytes);
            Assert.Equal(new MemoryStats { CurrentBytes = memory.CurrentBytes, MaximumBytes = memory.MaximumBytes }, memory); // the rest absent
            Assert.Equal(new VcpuStats(xml.Vcpus, null, null), stats.VcpuStats);
            Assert.Equal(facts.Disks.Length, stats.DiskCapacities.Length);
            Assert.All(stats.DiskCapacities, c => Assert.True(c!.Value.CapacityBytes > 0 && c.Value.PhysicalBytes > 0, facts.Domain));
            Assert.True(stats.JobsRead);
            Assert.Empty(stats.BlockJobs);
        }
        Assert.Contains(result.Instances, i => i.Stats.DiskCapacities.Length == 2);
    }

    /// <summary>A seed run: nothing beyond the seed's counters is read or returned.</summary>
    [Fact]
    public void Without_readings_the_new_properties_stay_empty()
    {
        using var source = Source(InstanceReadings.None);

        var result = source.Read();

        Assert.True(result.Available, result.Error);
        Assert.Equal(7, result.Instances.Count);
        Assert.All(result.Instances, i =>
        {
            Assert.Null(i.Stats.Memory);
            Assert.Null(i.Stats.VcpuStats);
            Assert.Empty(i.Stats.DiskCapacities);
            Assert.True(i.Stats.JobsRead);
            Assert.Null(i.Stats.Job);
            Assert.Empty(i.Stats.BlockJobs);
            Assert.NotNull(i.Stats.CpuTimeNs);
        });
    }

    /// <summary>The test driver has neither virDomainGetJobStats nor virDomainGetBlockJobInfo: every domain says its jobs
    /// were not read (never "no job"), one warning for the connection, no error per cycle, and the other readings stay.</summary>
    [Fact]
    public void Driver_without_job_calls_reports_jobs_not_read_and_warns_once()
    {
        var log = new LogLines();
        using var source = Source(AllButJobs | InstanceReadings.Jobs, log);

        var first = source.Read();
        var second = source.Read();

        foreach (var result in new[] { first, second })
        {
            Assert.True(result.Available, result.Error);
            Assert.Equal(0, result.DomainErrors);
            Assert.Equal(7, result.Instances.Count);
            Assert.All(result.Instances, i =>
            {
                Assert.False(i.Stats.JobsRead);
                Assert.Null(i.Stats.Job);
                Assert.Equal(i.Facts.Disks.Length, i.Stats.BlockJobs.Length);
                Assert.All(i.Stats.BlockJobs, j => Assert.Null(j));
                Assert.NotNull(i.Stats.Memory);
            });
        }
        Assert.Single(log.Lines, l => l.Contains("does not report domain jobs", StringComparison.Ordinal));
        Assert.Equal(0, source.JobReader.InFlight);
    }
}
