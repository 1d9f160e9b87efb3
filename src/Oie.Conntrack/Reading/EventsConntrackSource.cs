using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Oie.Abstractions;
using Oie.Conntrack.Events;
using Oie.Conntrack.Netlink;

namespace Oie.Conntrack.Reading;

/// <summary>
/// <c>-conntrack.source=events</c>: keeps a <see cref="ConntrackMirror"/> of the kernel table up to date from
/// ctnetlink's NEW and DESTROY events, so a cycle costs the kernel the flows that began or ended, not a dump of the
/// table. To (re)build the mirror it subscribes a fresh event socket first, then dumps on another socket, then
/// applies what the event socket queued meanwhile (a flow in both counts once). Each read drains the queued events
/// and replays the mirror through the sink. Loss is never silent: ENOBUFS on the event socket, a failed read, or
/// <c>-conntrack.events.resync</c> passing rebuilds the mirror (counted in <see cref="TakeResyncs"/>); a rebuild
/// that cannot finish by the deadline fails the listing as a failed dump does.
/// </summary>
internal sealed partial class EventsConntrackSource : IConntrackSource, IDisposable
{
    /// <summary>Reasons for a resync, as <c>oie_exporter_conntrack_resyncs_total{reason}</c> labels them.</summary>
    public static readonly string[] ResyncReasons = [Overflow, Periodic, Failure];

    public const string Overflow = "overflow";
    public const string Periodic = "periodic";
    public const string Failure = "error";

    /// <summary>The event socket's SO_RCVBUFFORCE: kernel memory, used only while events wait for the next read.</summary>
    public const int DefaultEventBuffer = 64 * 1024 * 1024;

    /// <summary>Resyncs in one read, should each one's dump overflow the event socket again.</summary>
    private const int MaxResyncAttempts = 3;

    private readonly string _netns;
    private readonly TimeSpan _timeout;
    private readonly long _resyncTicks;
    private readonly int _eventBuffer;
    private readonly ILogger _logger;
    private readonly ConntrackMirror _mirror = new();
    private readonly List<string> _resyncs = [];
    private ConntrackEventStream? _events;
    private long _syncedAt;
    private bool _synced;
    private string? _pending; // why the next read rebuilds the mirror (null: it is in sync)
    private bool _warnedAuto;

    public EventsConntrackSource(string netns, TimeSpan timeout, TimeSpan resync, ILogger logger, int eventBuffer = DefaultEventBuffer)
    {
        _netns = netns;
        _timeout = timeout;
        _resyncTicks = (long)(resync.TotalSeconds * Stopwatch.Frequency);
        _eventBuffer = eventBuffer;
        _logger = logger;
    }

    public string Display => _netns.Length > 0 ? $"the ctnetlink events in network namespace {_netns}" : "the ctnetlink events";

    /// <summary>The mirror, for tests and measurements.</summary>
    internal ConntrackMirror Mirror => _mirror;

    /// <summary>The resyncs since the last call, one reason each (the first build of the mirror is none).</summary>
    public IReadOnlyList<string> TakeResyncs()
    {
        if (_resyncs.Count == 0)
        {
            return [];
        }

        string[] taken = [.. _resyncs];
        _resyncs.Clear();
        return taken;
    }

    public IReadOnlyList<ListingRead> Read(FlowAttribution sink, CancellationToken deadline)
    {
        long deadlineTimestamp = ConntrackDump.DeadlineAfter(_timeout);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ConntrackDump.ReceiveBufferLength);
        long malformed = 0;
        try
        {
            _mirror.NextGeneration();
            if (_events is not null && _synced)
            {
                DrainResult drained = _events.Drain(_mirror, sink, buffer, deadlineTimestamp);
                malformed += drained.Malformed;
                if (drained.Overrun)
                {
                    _pending = Overflow;
                }
                else if (drained.Late)
                {
                    return Failed($"{Display} arrive faster than they are read: events were still queued at -conntrack.timeout={GoDuration.Format(_timeout)}");
                }
            }

            if (_synced && _pending is null && Stopwatch.GetTimestamp() - _syncedAt >= _resyncTicks)
            {
                _pending = Periodic;
            }

            if (_pending is not null || !_synced)
            {
                malformed += Resync(_pending, buffer, sink, deadline, deadlineTimestamp);
            }
        }
        catch (OperationCanceledException)
        {
            Lost();
            return Failed($"{Display}: the table could not be read again within -conntrack.timeout={GoDuration.Format(_timeout)}");
        }
        catch (ConntrackDumpException ex)
        {
            Lost();
            return Failed($"{Display} failed: {ex.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _mirror.Replay(sink);
        return [ConntrackReadPolicy.NetlinkListing(Display, new ConntrackReadResult(_mirror.Count + malformed, _mirror.Count, malformed))];
    }

    /// <summary>The mirror cannot be trusted after a failed read: the next read rebuilds it.</summary>
    private void Lost()
    {
        _pending = _synced ? Failure : null;
        _synced = false;
    }

    /// <summary>Rebuilds the mirror: a fresh subscription, then a dump, then the events queued during the dump.</summary>
    /// <param name="reason">Counted as a resync; null for the first build (or a retry after a failed one).</param>
    /// <returns>Malformed entries met.</returns>
    private long Resync(string? reason, byte[] buffer, FlowAttribution sink, CancellationToken deadline, long deadlineTimestamp)
    {
        for (int attempt = 1; ; attempt++)
        {
            if (reason is not null)
            {
                _resyncs.Add(reason);
                LogResync(Display, reason);
            }

            // The new listener exists before the old one goes, so under nf_conntrack_events=2 no entry is made
            // while nobody listens (such an entry would never report its end).
            ConntrackEventStream fresh = ConntrackEventStream.Open(_netns, _eventBuffer);
            _events?.Dispose();
            _events = fresh;
            CheckEventsSetting(fresh.EventsSetting);

            _synced = false;
            _mirror.Clear();
            var load = new MirrorLoad(_mirror);
            ConntrackReadResult dumped;
            using (NetlinkSocket socket = NetlinkSocket.OpenNetfilter(_netns, ConntrackDump.SocketReceiveBuffer))
            {
                dumped = ConntrackDump.ReadEntriesFrom(socket, ref load, deadline, deadlineTimestamp);
            }

            DrainResult drained = fresh.Drain(_mirror, sink, buffer, deadlineTimestamp);
            if (drained.Late)
            {
                throw new OperationCanceledException("the events queued during the dump were not applied by the deadline");
            }

            if (!drained.Overrun)
            {
                _synced = true;
                _pending = null;
                _syncedAt = Stopwatch.GetTimestamp();
                return dumped.Malformed + drained.Malformed;
            }

            if (attempt == MaxResyncAttempts)
            {
                throw new ConntrackDumpException(
                    $"the events made during each of {MaxResyncAttempts} dumps of the table overran the event socket's receive buffer (ENOBUFS)");
            }

            reason = Overflow;
        }
    }

    private void CheckEventsSetting(int? setting)
    {
        string where = _netns.Length > 0 ? $" in network namespace {_netns}" : "";
        if (setting == 0)
        {
            throw new ConntrackDumpException(
                $"net.netfilter.nf_conntrack_events is 0{where}: the kernel sends no conntrack events, so the table cannot be followed; " +
                "set it to 1 (sysctl -w net.netfilter.nf_conntrack_events=1, and in /etc/sysctl.d to keep it) or use -conntrack.source=netlink");
        }

        if (setting == 2 && !_warnedAuto)
        {
            _warnedAuto = true;
            LogAutoEvents(where);
        }
    }

    public void Dispose()
    {
        _events?.Dispose();
        _events = null;
    }

    private static IReadOnlyList<ListingRead> Failed(string error) => [ListingRead.Failed(ConntrackFamilies.Both, error)];

    /// <summary>Dump entries into the mirror; one already there (from an event) stays one.</summary>
    private readonly struct MirrorLoad(ConntrackMirror mirror) : IConntrackEntryHandler
    {
        public bool OnEntry(ReadOnlySpan<byte> payload) => mirror.TryAdd(payload, out _);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "conntrack: {Source}: rebuilding the table from a dump ({Reason}); this cycle's counts are the rebuilt table's")]
    private partial void LogResync(string source, string reason);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "conntrack: net.netfilter.nf_conntrack_events is 2 (auto){Where}: entries made before the exporter subscribed send no DESTROY event, " +
                  "so they are counted until they are seen gone at the next resync (-conntrack.events.resync); set it to 1 " +
                  "(sysctl -w net.netfilter.nf_conntrack_events=1) for exact counts from the start")]
    private partial void LogAutoEvents(string where);
}
