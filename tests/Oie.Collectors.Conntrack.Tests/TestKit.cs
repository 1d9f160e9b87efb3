using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.Conntrack;
using Oie.Conntrack;
using Oie.Conntrack.Reading;

namespace Oie.Collectors.Conntrack.Tests;

/// <summary>Creates the table reader and the collector the way the host does: flags → Parse(args) → reader + factory.</summary>
internal static class Conntrack
{
    public static ConntrackRig Create(params string[] args) => Create(TimeSpan.FromSeconds(10), args);

    public static ConntrackRig Create(TimeSpan collectionInterval, params string[] args)
    {
        var flags = new FlagSet();
        var source = new ConntrackSourceFlags(flags);
        var factory = ConntrackCollector.Setup(PluginsFile.EntryOf<ConntrackCollector>(), flags);
        var parsed = flags.Parse(args);
        Assert.True(parsed.Success, parsed.Error);
        var collector = (ConntrackCollector)factory(new PluginContext(NullLoggerFactory.Instance, new FakeTimeProvider(), collectionInterval));
        return new ConntrackRig(source.Resolve(collectionInterval), collector);
    }

    /// <summary>The same settings with another nf_conntrack_max file.</summary>
    public static ConntrackRig WithMaxPath(ConntrackRig rig, string maxPath) => new(rig.Options with { MaxPath = maxPath }, rig.Collector);

    /// <summary>The same settings, logging to <paramref name="logger"/>.</summary>
    public static ConntrackRig WithLogger(ConntrackRig rig, ILogger<ConntrackReader> logger) => new(rig.Options, rig.Collector, logger);

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>The sample rows of oie_conntrack_ip_total as (domain, ip, family, count).</summary>
    public static IReadOnlyList<(string Domain, string Ip, string Family, double Count)> IpTotals(RecordingSampleWriter samples) =>
        [.. samples.Of("oie_conntrack_ip_total").Select(s => (s.Label("domain"), s.Label("ip"), s.Label("family"), s.Value))];

    public static double Host(RecordingSampleWriter samples, string name)
    {
        var sample = Assert.Single(samples.Of(name));
        Assert.Null(sample.Instance);
        Assert.Empty(sample.Labels);
        return sample.Value;
    }
}

/// <summary>Instances with fixed IPs (InstanceBuilder has no fixed IPs of its own).</summary>
internal static class Vm
{
    public static readonly string UuidA = "11111111-1111-1111-1111-111111111111";
    public static readonly string UuidB = "22222222-2222-2222-2222-222222222222";

    public static Instance With(InstanceBuilder builder, params string[] fixedIps)
    {
        var built = builder.Build();
        FixedIp[] ips = [.. fixedIps.Select(ip => new FixedIp(ip, ip.Contains(':', StringComparison.Ordinal) ? 6 : 4))];
        return new Instance(built.Facts with { FixedIps = [.. ips] }, built.Stats);
    }

    /// <summary>The two ends of the recorded captures: 10.0.0.5/fd00::5 (spelled long in the metadata) and 10.0.0.6/fd00::6.</summary>
    public static Instance A => With(InstanceBuilder.Nova("instance-00000001", UuidA, "user-a", "project-a"), "10.0.0.5", "FD00:0000:0:0::0005");

    public static Instance B => With(InstanceBuilder.Nova("instance-00000002", UuidB, "user-b", "project-b"), "10.0.0.6", "fd00::6");
}

/// <summary>
/// One cycle as the host runs it: the reader reads and attributes the table to the snapshot's instances, then the
/// collector exports it. A table that could not be read at all makes the collector throw, as in the host.
/// </summary>
internal sealed class ConntrackRig(ConntrackSourceOptions options, ConntrackCollector collector, ILogger<ConntrackReader>? logger = null)
{
    private readonly ConntrackReader _reader = new(options, logger ?? NullLogger<ConntrackReader>.Instance);

    public ConntrackSourceOptions Options => options;

    public ConntrackCollector Collector => collector;

    /// <summary>The table the last cycle read.</summary>
    public ConntrackTable? Table { get; private set; }

    public RecordingSampleWriter Run(CycleSnapshot snapshot)
    {
        var writer = new RecordingSampleWriter(collector.Families);
        Collect(snapshot, writer);
        return writer;
    }

    public void Collect(CycleSnapshot snapshot, ISampleWriter writer)
    {
        Table = _reader.Read(FixedIpIndex.Build(snapshot.LibvirtAvailable ? snapshot.Instances : []), recordContacts: false);
        collector.Collect(new CycleSnapshot
        {
            Timestamp = snapshot.Timestamp,
            LibvirtAvailable = snapshot.LibvirtAvailable,
            Instances = snapshot.Instances,
            Conntrack = Table,
        }, writer);
    }
}
