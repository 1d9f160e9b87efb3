using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Oie.Abstractions;
using Oie.Conntrack;
using Oie.Conntrack.Reading;
using Oie.Generated;
using Oie.Host.CommandLine;
using Oie.Host.Exposition;
using Oie.Testing;

namespace Oie.Host.Tests;

/// <summary>
/// Thousands of cycles through every compiled-in collector, the sample buffers and the exposition store, with instances
/// created and destroyed all the time: the series served and the memory held stay bounded by the live instances.
/// The managed heap is the whole process's, so the test runs alone (<see cref="SoakCollection"/>): another test class
/// allocating meanwhile would look like growth (it failed once at 4.5 MB, in a full run, and passes alone).
/// </summary>
[Collection(SoakCollection.Name)]
public class SoakTests
{
    private const int Live = 40;

    [Fact]
    public void Churning_instances_for_3000_cycles_keeps_series_and_memory_bounded()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var commandLine = new ExporterCommandLine(PluginRegistry.Collectors, PluginRegistry.Feeds);
        Assert.True(commandLine.Parse([$"-conntrack.path={RepoPaths.SampleConntrack}", "-conntrack.min=1", "-cpu.min=0"]).Success);
        var collectors = commandLine.CreatePlugins(new PluginContext(NullLoggerFactory.Instance, time)).Collectors;
        using var conntrack = new ConntrackReader(commandLine.ConntrackSource.Resolve(TimeSpan.FromSeconds(10)), NullLogger<ConntrackReader>.Instance);
        var families = new FamilyTable(collectors.Select(c => c.Collector.Families));
        var self = new SelfMetrics(collectors.Select(c => c.Name));
        var store = new ExpositionStore(families, new CacheTtls(TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), TimeSpan.FromSeconds(10)),
            time, self.WriteTo);

        long cpuNs = 0;
        var seriesAtCycle = new List<int>();
        long memoryAfterWarmUp = 0;
        for (var cycle = 0; cycle < 3000; cycle++)
        {
            // Each cycle one instance is destroyed and a new one created: after 3000 cycles 3000 UUIDs have come and gone.
            var instances = Enumerable.Range(cycle, Live).Select(n => Instance(n, cpuNs += 1_000_000, time.GetTimestamp())).ToArray();
            var snapshot = new CycleSnapshot
            {
                Timestamp = time.GetTimestamp(),
                LibvirtAvailable = true,
                Instances = instances,
                Conntrack = conntrack.Read(FixedIpIndex.Build(instances), recordContacts: true),
            };
            var samples = new CycleSamples(families);
            foreach (var (_, collector) in collectors)
                collector.Collect(snapshot, samples);
            store.Publish(snapshot, samples);
            time.Advance(TimeSpan.FromSeconds(10));

            if (cycle % 500 == 499)
            {
                seriesAtCycle.Add(CountSeries(store));
                Assert.Equal(Live, store.InstanceCount);
                Assert.Equal(Live, collectors.Select(c => c.Collector).OfType<Oie.Collectors.Cpu.CpuCollector>().Single().TrackedInstances);
            }
            if (cycle == 499)
                memoryAfterWarmUp = ManagedMemory();
        }

        Assert.All(seriesAtCycle, count => Assert.Equal(seriesAtCycle[0], count));
        Assert.True(seriesAtCycle[0] >= Live * 10, $"only {seriesAtCycle[0]} series for {Live} instances");
        // 2,500 more cycles and 2,500 more instances seen must not have grown what is held (allowing for GC noise).
        var growth = ManagedMemory() - memoryAfterWarmUp;
        Assert.True(growth < 4 * 1024 * 1024, $"managed memory grew by {growth:N0} bytes");
    }

    private static Instance Instance(int n, long cpuNs, long sampledAt) =>
        InstanceBuilder.Nova($"instance-{n:x8}", $"00000000-0000-4000-8000-{n:x12}")
            .FlavorVcpus(2).Cpu(cpuNs, sampledAt)
            .Disk("vda", "local", $"/var/lib/nova/instances/{n}/disk", new BlockCounters(n + 1, 4096L * (n + 1), 1, 4096))
            .Nic($"tap{n:x8}", new InterfaceCounters(n + 1, 1, 0, 0, 2, 1, 0, 0))
            .FixedIp($"10.{n / 65536 % 256}.{n / 256 % 256}.{n % 256}", 4)
            .Build();

    private static int CountSeries(ExpositionStore store) =>
        Encoding.UTF8.GetString(store.Current().Body).Split('\n').Count(l => l.StartsWith("oie_", StringComparison.Ordinal) &&
                                                                           !l.StartsWith("oie_exporter_", StringComparison.Ordinal));

    private static long ManagedMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <summary>Runs after every parallel test class, with nothing else running: its memory figures are its own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoakCollection
{
    public const string Name = "soak (runs alone)";
}
