using System.Numerics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Oie.Abstractions;
using Oie.Net;

namespace Oie.ThreatIntel;

/// <summary>
/// The threat-contact stage: runs after the conntrack table is read, over the remote endpoint of every entry the
/// cycle attributed to an instance's fixed IP (<see cref="ConntrackTable.ContactsV4"/>/<see cref="ConntrackTable.ContactsV6"/>),
/// one matcher lookup each, no allocation per contact. Writes, per instance with a hit, a 1 for each feed that listed
/// a contacted address — never a 0. Hits are logged, at most once per instance and feed per <c>logInterval</c>, with
/// the count of the hits suppressed in between, and written to stderr in the Go exporter's format by
/// <see cref="ThreatHitLines"/>. Not thread-safe: one cycle at a time, from one thread.
/// </summary>
public sealed partial class ThreatContacts : ICollector, IConntrackConsumer
{
    private readonly FeedMatcherHolder _holder;
    private readonly IReadOnlyList<MetricFamily> _families;
    private readonly IReadOnlyList<string> _feedNames;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _logInterval;
    private readonly ThreatHitLines? _hitLines;
    private readonly Dictionary<(string InstanceUuid, int Bit), HitLog> _hitLogs = [];
    private uint[] _masks = [];
    private readonly MetricFamily? _flowsFamily;
    private readonly IReadOnlyList<MetricFamily> _allFamilies;
    /// <summary>With flows on: per slot, per feed bit, inbound then outbound entries.</summary>
    private int[] _flows = [];

    /// <param name="families">The contact family of each feed bit (see <see cref="ContactFamilies.For"/>).</param>
    /// <param name="feedNames">The name of each feed bit, for the log.</param>
    public ThreatContacts(FeedMatcherHolder holder, IReadOnlyList<MetricFamily> families, IReadOnlyList<string> feedNames,
        TimeProvider time, ILogger<ThreatContacts> logger, TimeSpan? logInterval = null, ThreatHitLines? hitLines = null,
        bool countFlows = false)
    {
        if (families.Count != feedNames.Count || families.Count > 32)
            throw new ArgumentException("one family and one name per feed bit, at most 32", nameof(families));
        _holder = holder;
        _families = families;
        _feedNames = feedNames;
        _time = time;
        _logger = logger;
        _logInterval = logInterval ?? TimeSpan.FromMinutes(10);
        _hitLines = hitLines;
        _flowsFamily = countFlows ? ContactFamilies.Flows : null;
        _allFamilies = countFlows ? [.. families, ContactFamilies.Flows] : families;
    }

    public IReadOnlyList<MetricFamily> Families => _allFamilies;

    public void Collect(CycleSnapshot snapshot, ISampleWriter writer)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(writer);
        var table = snapshot.RequireConntrack();
        _hitLines?.BeginCycle();

        var matcher = _holder.Current;
        if (_masks.Length < table.Slots.Count)
            _masks = new uint[table.Slots.Count];
        else
            Array.Clear(_masks, 0, table.Slots.Count);
        if (_flowsFamily is not null)
        {
            var flowCells = table.Slots.Count * _families.Count * 2;
            if (_flows.Length < flowCells)
                _flows = new int[flowCells];
            else
                Array.Clear(_flows, 0, flowCells);
        }
        var anyHit = false;
        foreach (ref readonly var contact in table.ContactsV4.Span)
        {
            var mask = matcher.LookupV4(contact.Remote);
            if (mask == 0)
                continue;
            _masks[contact.Slot] |= mask;
            anyHit = true;
            if (_flowsFamily is not null)
                CountFlow(contact.Slot, mask, contact.Outbound);
            OnHit(table, contact.Slot, mask, IpKey.FromV4(contact.Remote), contact.Outbound);
        }
        foreach (ref readonly var contact in table.ContactsV6.Span)
        {
            var mask = matcher.LookupV6(contact.Remote);
            if (mask == 0)
                continue;
            _masks[contact.Slot] |= mask;
            anyHit = true;
            if (_flowsFamily is not null)
                CountFlow(contact.Slot, mask, contact.Outbound);
            OnHit(table, contact.Slot, mask, IpKey.FromV6(contact.Remote), contact.Outbound);
        }
        if (anyHit)
            WriteSamples(table.Slots, writer);
        _hitLines?.EndCycle();
        FlushSuppressed();
    }

    private void CountFlow(int slot, uint mask, bool outbound)
    {
        var row = slot * _families.Count * 2 + (outbound ? 1 : 0);
        for (; mask != 0; mask &= mask - 1)
            _flows[row + BitOperations.TrailingZeroCount(mask) * 2]++;
    }

    /// <summary>One sample per (instance, feed) with a hit, in slot order; with flows on, then the instance's entries
    /// per feed and direction (only those with at least one).</summary>
    private void WriteSamples(IReadOnlyList<FixedIpSlot> slots, ISampleWriter writer)
    {
        var byInstance = new Dictionary<Instance, InstanceHits>(ReferenceEqualityComparer.Instance);
        var order = new List<Instance>();
        var cells = _families.Count * 2;
        for (var slot = 0; slot < slots.Count; slot++)
        {
            if (_masks[slot] == 0)
                continue;
            var instance = slots[slot].Instance;
            if (!byInstance.TryGetValue(instance, out var hits))
            {
                byInstance[instance] = hits = new InstanceHits(_flowsFamily is null ? null : new int[cells]);
                order.Add(instance);
            }
            hits.Mask |= _masks[slot];
            for (var cell = 0; hits.Flows is not null && cell < cells; cell++)
                hits.Flows[cell] += _flows[slot * cells + cell];
        }
        foreach (var instance in order)
        {
            var facts = instance.Facts;
            var hits = byInstance[instance];
            for (var mask = hits.Mask; mask != 0; mask &= mask - 1)
            {
                var bit = BitOperations.TrailingZeroCount(mask);
                writer.Write(_families[bit], instance, 1, facts.Domain, facts.InstanceUuid, facts.ProjectUuid, facts.UserUuid);
            }
            for (var mask = hits.Mask; hits.Flows is not null && mask != 0; mask &= mask - 1)
            {
                var bit = BitOperations.TrailingZeroCount(mask);
                for (var direction = 0; direction < 2; direction++)
                {
                    if (hits.Flows[bit * 2 + direction] is var flows and > 0)
                    {
                        writer.Write(_flowsFamily!, instance, flows, facts.Domain, facts.InstanceUuid, facts.ProjectUuid, facts.UserUuid,
                            _feedNames[bit], direction == 1 ? "outbound" : "inbound");
                    }
                }
            }
        }
    }

    private sealed class InstanceHits(int[]? flows)
    {
        public uint Mask { get; set; }
        public int[]? Flows { get; } = flows;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnHit(ConntrackTable table, int slot, uint mask, IpKey remote, bool outbound)
    {
        var instance = table.Slots[slot].Instance;
        var now = _time.GetUtcNow();
        for (; mask != 0; mask &= mask - 1)
        {
            var bit = BitOperations.TrailingZeroCount(mask);
            _hitLines?.Hit(instance.Facts.Domain, instance.Facts.InstanceUuid, bit, remote, outbound);
            var key = (instance.Facts.InstanceUuid, bit);
            if (_hitLogs.TryGetValue(key, out var log) && now - log.LastLogged < _logInterval)
            {
                log.Suppressed++;
                continue;
            }
            var suppressed = log?.Suppressed ?? 0;
            _hitLogs[key] = new HitLog { LastLogged = now };
            LogHit(instance.Facts.Domain, instance.Facts.InstanceUuid, _feedNames[bit], table.Slots[slot].Address.ToString(),
                outbound ? "outbound to" : "inbound from", remote.ToString(), suppressed);
        }
    }

    /// <summary>Reports hits suppressed in an interval that has ended, and forgets instances that went quiet.</summary>
    private void FlushSuppressed()
    {
        if (_hitLogs.Count == 0)
            return;
        var now = _time.GetUtcNow();
        List<(string, int)>? quiet = null;
        foreach (var (key, log) in _hitLogs)
        {
            if (now - log.LastLogged < _logInterval)
                continue;
            if (log.Suppressed == 0)
            {
                (quiet ??= []).Add(key);
                continue;
            }
            LogSuppressed(key.InstanceUuid, _feedNames[key.Bit], log.Suppressed, _logInterval);
            log.LastLogged = now;
            log.Suppressed = 0;
        }
        foreach (var key in quiet ?? [])
            _hitLogs.Remove(key);
    }

    private sealed class HitLog
    {
        public DateTimeOffset LastLogged { get; set; }
        public int Suppressed { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Threat-intel contact: instance {Domain} ({InstanceUuid}) {Local} {Direction} {Remote}, listed by feed {Feed} ({Suppressed} earlier hits suppressed)")]
    private partial void LogHit(string domain, string instanceUuid, string feed, string local, string direction, string remote, int suppressed);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Threat-intel contact: instance {InstanceUuid} had {Suppressed} more hits on feed {Feed} in the last {Interval} (not logged individually)")]
    private partial void LogSuppressed(string instanceUuid, string feed, int suppressed, TimeSpan interval);
}
