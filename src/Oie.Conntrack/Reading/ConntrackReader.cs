using Microsoft.Extensions.Logging;
using Oie.Abstractions;
using Oie.Net;

namespace Oie.Conntrack.Reading;

/// <summary>
/// The cycle's conntrack source: reads the host table once (the tool, a ctnetlink dump, or <c>-conntrack.path</c>)
/// within <c>-conntrack.timeout</c>, attributing every entry to the cycle's fixed IPs as it streams, and hands the
/// cycle an immutable <see cref="ConntrackTable"/>. A failed listing is in the table's errors, never thrown; the
/// families it covered have no counts, so a partial listing is never presented as a quiet one. One cycle at a time:
/// the table's contacts live in buffers the next read reuses.
/// </summary>
public sealed partial class ConntrackReader : IDisposable
{
    private readonly TimeSpan _timeout;
    private readonly IConntrackSource _source;
    private readonly ConntrackMaxFile _maxFile;
    private readonly ILogger _logger;
    private string? _lastMaxError;
    private (int Invalid, int Duplicate) _lastIndexProblems;
    private string _lastAmbiguous = "";
    private readonly ContactBuffers _contacts = new();

    public ConntrackReader(ConntrackSourceOptions options, ILogger<ConntrackReader> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Timeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), "the conntrack timeout must be greater than zero");
        _timeout = options.Timeout;
        _source = options.ReadsFile ? new FileConntrackSource(options.Path, options.Timeout)
            : options.Source == ConntrackSourceKind.Netlink ? new NetlinkConntrackSource(options.Netns, options.Timeout)
            : options.Source == ConntrackSourceKind.Events ? new EventsConntrackSource(options.Netns, options.Timeout, options.EventsResync, logger)
            : new ToolConntrackSource(options.Command, options.Timeout);
        _maxFile = new ConntrackMaxFile(options.MaxPath);
        _logger = logger;
        LogReading(_source.Display, GoDuration.Format(options.Timeout));
    }

    /// <summary>The reasons the source may rebuild its table for (<see cref="ConntrackTable.Resyncs"/>); none but
    /// for the events source.</summary>
    public IReadOnlyList<string> ResyncReasons => _source is EventsConntrackSource ? EventsConntrackSource.ResyncReasons : [];

    /// <summary>Closes what the source keeps open between reads (the events source's subscription).</summary>
    public void Dispose() => (_source as IDisposable)?.Dispose();

    /// <summary>Reads the table once, attributing it to <paramref name="index"/>.</summary>
    /// <param name="recordContacts">Keep each attributed entry's remote endpoint (a threat feed is enabled).</param>
    public ConntrackTable Read(FixedIpIndex index, bool recordContacts)
    {
        ArgumentNullException.ThrowIfNull(index);
        ReportIndexProblems(index);
        var attribution = new FlowAttribution(index, recordContacts, _contacts);
        IReadOnlyList<ListingRead> listings;
        // The deadline bounds real I/O (a process, a file, a socket), so it runs on the system clock.
        using (var deadline = new CancellationTokenSource(_timeout))
            listings = _source.Read(attribution, deadline.Token);

        var read = ConntrackFamilies.None;
        long entries = 0, malformed = 0;
        var errors = new List<string>();
        foreach (var listing in listings)
        {
            if (listing.Error is { } error)
            {
                errors.Add(error);
                continue;
            }
            read |= listing.Families;
            entries += listing.Result.Flows;
            malformed += listing.Result.Malformed;
        }

        var counts = attribution.Counts;
        for (var slot = 0; slot < counts.Length; slot++)
        {
            if ((read & FamilyOf(index[slot].Address)) == 0)
                counts[slot] = 0; // a failed listing's partial count
        }
        var v4 = (read & ConntrackFamilies.V4) != 0 ? attribution.ContactsV4 : default;
        var v6 = (read & ConntrackFamilies.V6) != 0 ? attribution.ContactsV6 : default;
        var ambiguous = attribution.Ambiguous();
        ReportAmbiguous(index, ambiguous);

        return new ConntrackTable
        {
            Read = read,
            Errors = errors,
            Entries = entries,
            Malformed = malformed,
            Max = ReadMax(),
            Slots = index.Slots,
            Counts = counts,
            ContactsV4 = v4,
            ContactsV6 = v6,
            Ambiguous = ambiguous,
            Resyncs = _source.TakeResyncs(),
        };
    }

    private static ConntrackFamilies FamilyOf(IpKey address) => address.IsV4 ? ConntrackFamilies.V4 : ConntrackFamilies.V6;

    private long? ReadMax()
    {
        var max = _maxFile.TryRead(out var error);
        if (error is not null && error != _lastMaxError)
            LogMaxUnreadable(error);
        _lastMaxError = error;
        return max;
    }

    private void ReportIndexProblems(FixedIpIndex index)
    {
        var problems = (index.InvalidAddresses, index.DuplicateAddresses);
        if (problems != _lastIndexProblems && (problems.InvalidAddresses > 0 || problems.DuplicateAddresses > 0))
            LogIndexProblems(problems.InvalidAddresses, problems.DuplicateAddresses);
        _lastIndexProblems = problems;
    }

    /// <summary>One error line whenever the set of ambiguous addresses changes: the default level (error) shows it.</summary>
    private void ReportAmbiguous(FixedIpIndex index, IReadOnlyList<AmbiguousFixedIp> ambiguous)
    {
        var described = string.Join("; ", ambiguous.Select(a =>
            $"{a.Address} ({string.Join(", ", a.Slots.Select(s => $"{index[s].Instance.Facts.Domain} {index[s].Instance.Facts.InstanceUuid}"))})"));
        if (described == _lastAmbiguous)
            return;
        _lastAmbiguous = described;
        if (ambiguous.Count > 0)
            LogAmbiguous(ambiguous.Count, described, index.UsesZones ? "" : " (no zone map this cycle: -conntrack.zones=none, no Neutron backend found, or it could not be read)");
        else
            LogAmbiguityResolved();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "conntrack: reading {Source} once per cycle, deadline {Timeout}")]
    private partial void LogReading(string source, string timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "oie_conntrack_max is not exported: {Error}")]
    private partial void LogMaxUnreadable(string error);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "conntrack: {Invalid} fixed IPs could not be parsed and are not attributed; {Duplicate} are listed more than once on one instance (counted once)")]
    private partial void LogIndexProblems(int invalid, int duplicate);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "conntrack: {Count} fixed IPs are claimed by several instances and no conntrack zone tells them apart{Zones}, so their entries and threat contacts are counted for every claimant: {Addresses}")]
    private partial void LogAmbiguous(int count, string addresses, string zones);

    [LoggerMessage(Level = LogLevel.Information, Message = "conntrack: every fixed IP is attributed to one instance again")]
    private partial void LogAmbiguityResolved();
}
