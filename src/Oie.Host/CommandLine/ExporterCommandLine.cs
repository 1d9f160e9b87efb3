using Oie.Abstractions;

namespace Oie.Host.CommandLine;

/// <summary>A collector that is switched on, with the name plugins.json gives it.</summary>
internal sealed record NamedCollector(string Name, ICollector Collector);

/// <summary>
/// Every flag of the exporter: the host's, each compiled-in plugin's, and node_exporter-style
/// <c>-collector.NAME</c> switches with the default plugins.json gives.
/// </summary>
internal sealed class ExporterCommandLine
{
    private readonly List<(CollectorRegistration Registration, Flag<bool> Enabled, CollectorFactory Factory)> _collectors = [];

    public ExporterCommandLine(IReadOnlyList<CollectorRegistration> collectors)
    {
        Host = new HostFlags(Flags);
        PendingFlags.Define(Flags);
        foreach (var registration in collectors)
        {
            var enabled = Flags.Bool("collector." + registration.Name, registration.EnabledByDefault,
                $"Enable the {registration.Name} collector.");
            _collectors.Add((registration, enabled, registration.Setup(Flags)));
        }
    }

    public FlagSet Flags { get; } = new();
    public HostFlags Host { get; }

    public FlagParseResult Parse(IReadOnlyList<string> args) => Flags.Parse(args);

    public IReadOnlyList<NamedCollector> CreateCollectors(PluginContext context)
    {
        var result = new List<NamedCollector>();
        foreach (var (registration, enabled, factory) in _collectors)
        {
            if (enabled.Value)
                result.Add(new NamedCollector(registration.Name, factory(context)));
        }
        return result;
    }

    public void WriteUsage(TextWriter output)
    {
        output.WriteLine("Usage of openstack_instance_exporter:");
        Flags.WriteUsage(output);
    }
}
