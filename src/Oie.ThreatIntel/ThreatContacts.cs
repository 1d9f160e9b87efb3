using System.Numerics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Oie.Abstractions;
using Oie.Net;

namespace Oie.ThreatIntel;

/// <summary>
/// One collection cycle's threat-intel contacts. The conntrack pass reports each flow's remote endpoint with
/// <see cref="OnContact"/>; the matcher's mask for it is ORed into the instance's hit mask (no allocation, one lookup).
/// <see cref="WriteSamples"/> then writes, per instance with a hit, a 1 for each feed that listed a contacted address —
/// never a 0. Hits are logged, at most once per instance and feed per <c>logInterval</c>, with the count of the hits
/// suppressed in between. Not thread-safe: one cycle at a time, from one thread.
/// </summary>
public sealed partial class ThreatContacts : IContactAnalysis
{
    private readonly FeedMatcherHolder _holder;
    private readonly IReadOnlyList<MetricFamily> _families;
    private readonly IReadOnlyList<string> _feedNames;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _logInterval;
    private readonly Dictionary<(string InstanceUuid, int Bit), HitLog> _hitLogs = [];
    private FeedMatcher _matcher = FeedMatcher.Empty;
    private IReadOnlyList<Instance> _slots = [];
    private IReadOnlyList<string> _slotAddresses = [];
    private uint[] _masks = [];
    private bool _anyHit;

    /// <param name="families">The contact family of each feed bit (see <see cref="ContactFamilies.For"/>).</param>
    /// <param name="feedNames">The name of each feed bit, for the log.</param>
    public ThreatContacts(FeedMatcherHolder holder, IReadOnlyList<MetricFamily> families, IReadOnlyList<string> feedNames,
        TimeProvider time, ILogger<ThreatContacts> logger, TimeSpan? logInterval = null)
    {
        if (families.Count != feedNames.Count || families.Count > 32)
            throw new ArgumentException("one family and one name per feed bit, at most 32", nameof(families));
        _holder = holder;
        _families = families;
        _feedNames = feedNames;
        _time = time;
        _logger = logger;
        _logInterval = logInterval ?? TimeSpan.FromMinutes(10);
    }

    public IReadOnlyList<MetricFamily> Families => _families;

    /// <summary>Starts a cycle: takes the matcher in force and clears every slot's hits.</summary>
    /// <param name="slotInstances">The instance of each slot that <see cref="OnContact"/> will name; several slots
    /// (e.g. one per fixed IP) may share an instance.</param>
    /// <param name="slotAddresses">The local address of each slot, for the hit log (empty when unknown).</param>
    public void BeginCycle(IReadOnlyList<Instance> slotInstances, IReadOnlyList<string> slotAddresses)
    {
        _matcher = _holder.Current;
        _slots = slotInstances;
        _slotAddresses = slotAddresses;
        if (_masks.Length < slotInstances.Count)
            _masks = new uint[slotInstances.Count];
        else
            Array.Clear(_masks, 0, slotInstances.Count);
        _anyHit = false;
    }

    /// <param name="instanceSlot">Index into the list given to <see cref="BeginCycle"/>.</param>
    /// <param name="isV6">Whether <paramref name="remote"/> is IPv6; an IPv4 address is in its low 32 bits.</param>
    /// <param name="remote">The flow's other endpoint (not the instance's own address).</param>
    /// <param name="outbound">The instance opened the flow.</param>
    public void OnContact(int instanceSlot, bool isV6, UInt128 remote, bool outbound)
    {
        var mask = isV6 ? _matcher.LookupV6(remote) : _matcher.LookupV4((uint)remote);
        if (mask == 0)
            return;
        _masks[instanceSlot] |= mask;
        _anyHit = true;
        OnHit(instanceSlot, mask, isV6, remote, outbound);
    }

    /// <summary>Writes this cycle's contact samples, one per (instance, feed) with a hit, in slot order.</summary>
    public void WriteSamples(ISampleWriter writer)
    {
        if (_anyHit)
        {
            var byInstance = new Dictionary<Instance, uint>(ReferenceEqualityComparer.Instance);
            var order = new List<Instance>();
            for (var slot = 0; slot < _slots.Count; slot++)
            {
                if (_masks[slot] == 0)
                    continue;
                var instance = _slots[slot];
                if (byInstance.TryGetValue(instance, out var mask))
                {
                    byInstance[instance] = mask | _masks[slot];
                }
                else
                {
                    byInstance[instance] = _masks[slot];
                    order.Add(instance);
                }
            }
            foreach (var instance in order)
            {
                var facts = instance.Facts;
                for (var mask = byInstance[instance]; mask != 0; mask &= mask - 1)
                {
                    var bit = BitOperations.TrailingZeroCount(mask);
                    writer.Write(_families[bit], instance, 1, facts.Domain, facts.InstanceUuid, facts.ProjectUuid, facts.UserUuid);
                }
            }
        }
        FlushSuppressed();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnHit(int slot, uint mask, bool isV6, UInt128 remote, bool outbound)
    {
        var instance = _slots[slot];
        var now = _time.GetUtcNow();
        for (; mask != 0; mask &= mask - 1)
        {
            var bit = BitOperations.TrailingZeroCount(mask);
            var key = (instance.Facts.InstanceUuid, bit);
            if (_hitLogs.TryGetValue(key, out var log) && now - log.LastLogged < _logInterval)
            {
                log.Suppressed++;
                continue;
            }
            var suppressed = log?.Suppressed ?? 0;
            _hitLogs[key] = new HitLog { LastLogged = now };
            var local = slot < _slotAddresses.Count ? _slotAddresses[slot] : "?";
            LogHit(instance.Facts.Domain, instance.Facts.InstanceUuid, _feedNames[bit], local, outbound ? "outbound to" : "inbound from",
                Format(isV6, remote), suppressed);
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

    private static string Format(bool isV6, UInt128 remote) =>
        (isV6 ? IpKey.FromV6(remote) : IpKey.FromV4((uint)remote)).ToString();

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
