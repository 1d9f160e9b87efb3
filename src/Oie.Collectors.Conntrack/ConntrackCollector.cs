using Microsoft.Extensions.Logging;
using Oie.Abstractions;
using Oie.Conntrack;
using Oie.Net;

namespace Oie.Collectors.Conntrack;

/// <summary>
/// Reads the host conntrack table once per cycle (the tool, a ctnetlink dump, or <c>-conntrack.path</c>) and walks it once: every entry
/// whose original source or destination is a fixed IP of an instance counts for that IP. Exports
/// <c>oie_conntrack_ip_total</c> for the fixed IPs with at least <c>-conntrack.min</c> entries, and the table's fill.
/// </summary>
/// <remarks>
/// When libvirt is unavailable there are no instances to attribute to, so no <c>oie_conntrack_ip_total</c> is written;
/// the table is still read and the host-wide samples still exported, because a full table drops packets on every
/// instance whether or not libvirt answers (and a broken tool is reported either way).
/// </remarks>
public sealed class ConntrackCollector : ICollector, ICollectorPlugin
{
    private static readonly MetricFamily IpTotal = new("oie_conntrack_ip_total", "Conntrack entries matched to this fixed IP",
        MetricType.Gauge, "domain", "instance_uuid", "ip", "family", "project_uuid", "user_uuid");
    private static readonly MetricFamily Entries = new("oie_conntrack_entries",
        "Conntrack entries read from the host table in the last cycle", MetricType.Gauge);
    private static readonly MetricFamily Max = new("oie_conntrack_max",
        "Size of the host conntrack table (net.netfilter.nf_conntrack_max)", MetricType.Gauge);
    private static readonly MetricFamily Malformed = new("oie_conntrack_malformed_lines",
        "Conntrack lines skipped as malformed in the last cycle", MetricType.Gauge);

    private static readonly MetricFamily[] AllFamilies = [IpTotal, Entries, Max, Malformed];

    private readonly ConntrackOptions _options;
    private readonly IConntrackSource _source;
    private readonly ConntrackMaxFile _maxFile;
    private readonly Func<FixedIpIndex, IContactObserver?>? _contactObservers;
    private readonly IContactAnalysis? _contactAnalysis;
    private readonly IReadOnlyList<MetricFamily> _families;
    private readonly ILogger _logger;
    private string? _lastMaxError;
    private (int Invalid, int Duplicate) _lastIndexProblems;

    /// <param name="options">Resolved settings (<see cref="Setup"/> builds them from the flags).</param>
    /// <param name="context">The host's context (logging).</param>
    /// <param name="contactObservers">
    /// The seam for the threat matchers: called once per cycle with that cycle's fixed-IP index; the observer it returns
    /// is handed every flow's remote endpoint during the same single pass over the table.
    /// </param>
    public ConntrackCollector(ConntrackOptions options, PluginContext context, Func<FixedIpIndex, IContactObserver?>? contactObservers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        if (options.Timeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), "the conntrack timeout must be greater than zero");
        _options = options;
        _source = SourceFor(options);
        _maxFile = new ConntrackMaxFile(options.MaxPath);
        _contactObservers = contactObservers;
        _contactAnalysis = context.ContactAnalysis;
        _families = _contactAnalysis is null ? AllFamilies : [.. AllFamilies, .. _contactAnalysis.Families];
        _logger = context.LoggerFactory.CreateLogger<ConntrackCollector>();
        Log.Reading(_logger, Describe(options), GoDuration.Format(options.Timeout));
    }

    /// <summary>-conntrack.path, when given, takes the tool's place; otherwise -conntrack.source decides.</summary>
    private static IConntrackSource SourceFor(ConntrackOptions options) =>
        options.ReadsFile ? new FileConntrackSource(options.Path, options.Timeout)
        : options.Source == ConntrackSourceKind.Netlink ? new NetlinkConntrackSource(options.Netns, options.Timeout)
        : new ToolConntrackSource(options.Command, options.Timeout);

    private static string Describe(ConntrackOptions options) =>
        options.ReadsFile ? "-conntrack.path=" + options.Path
        : options.Source == ConntrackSourceKind.Netlink ? new NetlinkConntrackSource(options.Netns, options.Timeout).Display
        : string.Join(' ', options.Command);

    public static CollectorFactory Setup(FlagSet flags)
    {
        var conntrackFlags = new ConntrackFlags(flags);
        return context => new ConntrackCollector(conntrackFlags.Resolve(context.CollectionInterval), context);
    }

    public ConntrackOptions Options => _options;

    /// <summary>This collector's families, plus the contact metrics of the enabled threat feeds.</summary>
    public IReadOnlyList<MetricFamily> Families => _families;

    public void Collect(CycleSnapshot snapshot, ISampleWriter writer)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(writer);
        var index = FixedIpIndex.Build(snapshot.LibvirtAvailable ? snapshot.Instances : []);
        ReportIndexProblems(index);
        var attribution = new FlowAttribution(index, ContactObserverFor(index));

        ConntrackReadResult read;
        // The deadline bounds real I/O (a process, a file), so it runs on the system clock.
        using (var deadline = new CancellationTokenSource(_options.Timeout))
            read = _source.Read(attribution, deadline.Token);

        // Only after the whole table was read: a failed read throws before anything is written.
        WriteIpTotals(index, attribution.Counts, writer);
        writer.WriteHostSample(Entries, read.Flows);
        if (ReadMax() is { } max)
            writer.WriteHostSample(Max, max);
        writer.WriteHostSample(Malformed, read.Malformed);
        _contactAnalysis?.WriteSamples(writer);
    }

    /// <summary>Who sees each flow's remote endpoint during the pass: the threat feeds' analysis and/or a test seam.</summary>
    private IContactObserver? ContactObserverFor(FixedIpIndex index)
    {
        var seam = _contactObservers?.Invoke(index);
        if (_contactAnalysis is null)
            return seam;
        var instances = new Instance[index.Count];
        var addresses = new string[index.Count];
        for (var slot = 0; slot < index.Count; slot++)
        {
            instances[slot] = index[slot].Instance;
            addresses[slot] = index[slot].Key.ToString();
        }
        _contactAnalysis.BeginCycle(instances, addresses);
        var analysis = new ContactAnalysisObserver(_contactAnalysis);
        return seam is null ? analysis : new BothObservers(analysis, seam);
    }

    private sealed class ContactAnalysisObserver(IContactAnalysis analysis) : IContactObserver
    {
        public void OnContact(int fixedIpSlot, in IpKey remote, FlowDirection direction) =>
            analysis.OnContact(fixedIpSlot, remote.Family == IpFamily.V6, remote.Value, direction == FlowDirection.Outbound);
    }

    private sealed class BothObservers(IContactObserver first, IContactObserver second) : IContactObserver
    {
        public void OnContact(int fixedIpSlot, in IpKey remote, FlowDirection direction)
        {
            first.OnContact(fixedIpSlot, remote, direction);
            second.OnContact(fixedIpSlot, remote, direction);
        }
    }

    private void WriteIpTotals(FixedIpIndex index, ReadOnlySpan<int> counts, ISampleWriter writer)
    {
        for (var slot = 0; slot < counts.Length; slot++)
        {
            if (counts[slot] < _options.Min)
                continue;
            var entry = index[slot];
            var facts = entry.Instance.Facts;
            var family = entry.Key.Family == IpFamily.V4 ? "ipv4" : "ipv6";
            writer.Write(IpTotal, entry.Instance, counts[slot],
                facts.Domain, facts.InstanceUuid, entry.Key.ToString(), family, facts.ProjectUuid, facts.UserUuid);
        }
    }

    private long? ReadMax()
    {
        var max = _maxFile.TryRead(out var error);
        if (error is not null && error != _lastMaxError)
            Log.MaxUnreadable(_logger, error);
        _lastMaxError = error;
        return max;
    }

    private void ReportIndexProblems(FixedIpIndex index)
    {
        var problems = (index.InvalidAddresses, index.DuplicateAddresses);
        if (problems != _lastIndexProblems && (problems.InvalidAddresses > 0 || problems.DuplicateAddresses > 0))
            Log.IndexProblems(_logger, problems.InvalidAddresses, problems.DuplicateAddresses);
        _lastIndexProblems = problems;
    }
}
