using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.Memory;
using Snapshooter.Xunit;

namespace Oie.Collectors.Memory.Tests;

public sealed class MemoryCollectorTests
{
    private const long MiB = 1L << 20;

    private static readonly MemoryStats Balloon = new()
    {
        CurrentBytes = 4096 * MiB,
        MaximumBytes = 8192 * MiB,
        RssBytes = 3000 * MiB,
        AvailableBytes = 4000 * MiB,
        UsableBytes = 1500 * MiB,
        UnusedBytes = 700 * MiB,
        SwapInBytes = 12 * MiB,
        SwapOutBytes = 34 * MiB,
        MajorFaults = 5678,
        MinorFaults = 901234,
    };

    private static RecordingSampleWriter Run(params Instance[] vms) =>
        Plugin.Create<MemoryCollector>(new FakeTimeProvider()).Run(Cycle.Of(0, vms));

    private static Instance WithMemory(InstanceBuilder builder, MemoryStats? memory) =>
        new(builder.BuildFacts(), new InstanceStats { State = DomainRunState.Running, Memory = memory });

    [Fact]
    public void Families_and_flags_match_the_snapshot()
    {
        var collector = Plugin.Create<MemoryCollector>(new FakeTimeProvider());
        Snapshot.Match(Contract.Of<MemoryCollector>(collector));
    }

    [Fact]
    public void Reads_only_the_memory_stats()
    {
        var collector = Assert.IsAssignableFrom<IInstanceReadingsConsumer>(Plugin.Create<MemoryCollector>(new FakeTimeProvider()));
        Assert.Equal(InstanceReadings.Memory, collector.Readings);
    }

    [Fact]
    public void Every_reported_field_is_written_in_bytes_or_counts_with_the_seeds_identity_labels()
    {
        var samples = Run(WithMemory(InstanceBuilder.Nova(), Balloon)).Samples;

        Assert.Equal(
            [
                ("oie_memory_current_bytes", 4096.0 * MiB), ("oie_memory_maximum_bytes", 8192.0 * MiB),
                ("oie_memory_rss_bytes", 3000.0 * MiB), ("oie_memory_available_bytes", 4000.0 * MiB),
                ("oie_memory_usable_bytes", 1500.0 * MiB), ("oie_memory_unused_bytes", 700.0 * MiB),
                ("oie_memory_swap_in_bytes_total", 12.0 * MiB), ("oie_memory_swap_out_bytes_total", 34.0 * MiB),
                ("oie_memory_major_faults_total", 5678.0), ("oie_memory_minor_faults_total", 901234.0),
            ],
            samples.Select(s => (s.Name, s.Value)));
        Assert.All(samples, s =>
        {
            Assert.Equal(["domain", "instance_uuid", "user_uuid", "project_uuid"], s.Family.LabelNames.ToArray());
            Assert.Equal(["instance-00000001", "11111111-1111-1111-1111-111111111111", "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa",
                "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb"], s.Labels);
        });
    }

    [Fact]
    public void Cumulative_fields_are_counters_and_the_others_gauges()
    {
        foreach (var family in Plugin.Create<MemoryCollector>(new FakeTimeProvider()).Families)
        {
            Assert.Equal(family.Name.EndsWith("_total", StringComparison.Ordinal) ? MetricType.Counter : MetricType.Gauge, family.Type);
            Assert.Matches("_(bytes|bytes_total|faults_total)$", family.Name);
        }
    }

    [Fact]
    public void Where_libvirt_gives_only_current_and_maximum_the_rest_is_absent()
    {
        // What the test driver and a guest without a balloon driver answer.
        var samples = Run(WithMemory(InstanceBuilder.Nova(), new MemoryStats { CurrentBytes = 2048 * MiB, MaximumBytes = 2048 * MiB }));

        Assert.Equal(["oie_memory_current_bytes", "oie_memory_maximum_bytes"], samples.Names);
    }

    [Fact]
    public void Counters_at_zero_are_written_so_that_none_vanishes_while_the_guest_is_idle()
    {
        var idle = Balloon with { SwapInBytes = 0, SwapOutBytes = 0, MajorFaults = 0, MinorFaults = 0 };
        var samples = Run(WithMemory(InstanceBuilder.Nova(), idle));

        foreach (var name in new[] { "oie_memory_swap_in_bytes_total", "oie_memory_swap_out_bytes_total", "oie_memory_major_faults_total", "oie_memory_minor_faults_total" })
        {
            Assert.Equal(0, Assert.Single(samples.Of(name)).Value);
        }
    }

    [Fact]
    public void An_instance_whose_memory_was_not_read_writes_nothing_and_others_still_do()
    {
        var samples = Run(
            WithMemory(InstanceBuilder.Nova("instance-0000000a", "aaaaaaaa-0000-0000-0000-00000000000a"), null),
            WithMemory(InstanceBuilder.NonNova(), new MemoryStats { CurrentBytes = MiB }));

        var sample = Assert.Single(samples.Samples);
        Assert.Equal(["plain-vm", "99999999-9999-9999-9999-999999999999", "", ""], sample.Labels);
    }
}
