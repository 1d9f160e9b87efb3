using System.Diagnostics.CodeAnalysis;
using Oie.Abstractions;
using Oie.Conntrack.Reading;
using Oie.ThreatIntel;

namespace Oie.Host.CommandLine;

/// <summary>A collector that is switched on, with the name plugins.json gives it.</summary>
internal sealed record NamedCollector(string Name, ICollector Collector);

/// <summary>Every plugin the command line switched on, created once: what the exporter is composed of.</summary>
/// <param name="Collectors">The collectors, in plugins.json order.</param>
/// <param name="Feeds">The threat feeds, in plugins.json order.</param>
internal sealed record ExporterPlugins(IReadOnlyList<NamedCollector> Collectors, IReadOnlyList<IThreatFeed> Feeds);

/// <summary>
/// Every flag of the exporter: the host's (the conntrack table and zone map it reads for the collectors included),
/// each compiled-in plugin's, node_exporter-style <c>-collector.NAME</c> switches and the seed's <c>-NAME.enable</c> feed
/// switches, each with the default plugins.json gives.
/// </summary>
internal sealed class ExporterCommandLine
{
    private readonly List<(CollectorRegistration Registration, Flag<bool> Enabled, CollectorFactory Factory)> _collectors = [];
    private readonly List<(FeedRegistration Registration, Flag<bool> Enabled, FeedFactory Factory)> _feeds = [];

    public ExporterCommandLine(IReadOnlyList<CollectorRegistration> collectors, IReadOnlyList<FeedRegistration>? feeds = null)
    {
        Host = new HostFlags(Flags);
        ConntrackSource = new ConntrackSourceFlags(Flags);
        Zones = new ZoneFlags(Flags);
        foreach (var registration in collectors)
        {
            var enabled = Flags.Bool("collector." + registration.Name, registration.EnabledByDefault,
                $"Enable the {registration.Name} collector.");
            _collectors.Add((registration, enabled, registration.Setup(Flags)));
        }
        if (feeds is { Count: > 0 })
            Feeds = ThreatIntelFlags.Define(Flags);
        foreach (var registration in feeds ?? [])
        {
            var enabled = Flags.Bool(registration.Entry.Flag("enable"), registration.EnabledByDefault,
                $"Enable the {registration.Name} threat-intel feed.");
            _feeds.Add((registration, enabled, registration.Setup(Flags)));
        }
    }

    public FlagSet Flags { get; } = new();
    public HostFlags Host { get; }

    /// <summary>How the conntrack table is read (-conntrack.source, -conntrack.path, ...).</summary>
    public ConntrackSourceFlags ConntrackSource { get; }

    /// <summary>Where the conntrack zones come from (-conntrack.zones, -ovs.db, ...).</summary>
    public ZoneFlags Zones { get; }

    /// <summary>The flags shared by all feeds (-feeds.cache-dir …); null when no feed is compiled in.</summary>
    public ThreatIntelFlags? Feeds { get; }

    /// <summary>A threat feed is switched on: the cycle then reads the conntrack table, whatever collectors run.</summary>
    public bool AnyFeedEnabled => _feeds.Any(f => f.Enabled.Value);

    public FlagParseResult Parse(IReadOnlyList<string> args)
    {
        var result = Flags.Parse(args);
        Notices = result.Notices;
        return result;
    }

    /// <summary>What the last <see cref="Parse"/> accepted but the operator should hear about, logged once at start by
    /// the app (category <see cref="Logging.LogLevelSwitch.StartCategory"/>).</summary>
    public IReadOnlyList<FlagNotice> Notices { get; private set; } = [];

    /// <summary>
    /// Creates every switched-on plugin, collectors and feeds, each once and in plugins.json order, all with
    /// <paramref name="context"/>. A plugin whose flags do not fit together (an enabled custom list without a path)
    /// throws <see cref="ArgumentException"/> naming the flag; <see cref="TryCreatePlugins"/> turns that into a message.
    /// </summary>
    public ExporterPlugins CreatePlugins(PluginContext context) => new(
        [.. _collectors.Where(c => c.Enabled.Value).Select(c => new NamedCollector(c.Registration.Name, c.Factory(context)))],
        [.. _feeds.Where(f => f.Enabled.Value).Select(f => f.Factory(context))]);

    /// <summary><see cref="CreatePlugins"/>, with a plugin's refusal of its flags as <paramref name="error"/>: a usage
    /// error (exit 2) like a flag that does not parse, whatever kind of plugin refused.</summary>
    public bool TryCreatePlugins(PluginContext context, [NotNullWhen(true)] out ExporterPlugins? plugins, [NotNullWhen(false)] out string? error)
    {
        try
        {
            plugins = CreatePlugins(context);
            error = null;
            return true;
        }
        catch (ArgumentException e)
        {
            plugins = null;
            error = e.Message;
            return false;
        }
    }

    public void WriteUsage(TextWriter output)
    {
        output.WriteLine("Usage of openstack_instance_exporter:");
        Flags.WriteUsage(output);
    }
}
