using System.Buffers;
using Oie.Abstractions;

namespace Oie.Host.Exposition;

/// <summary>
/// The samples one cycle's collectors wrote, encoded as text-format lines, per instance and family. Each buffer starts
/// at the size the same instance and family took last cycle (<paramref name="previousSizes"/>, from
/// <see cref="TakenSizes"/>) plus a little slack, so a steady node neither grows buffers nor copies them: what
/// <see cref="Take"/> hands out is the written part of the buffer itself.
/// </summary>
internal sealed class CycleSamples(FamilyTable families, IReadOnlyDictionary<string, int[]>? previousSizes = null) : ISampleWriter
{
    /// <summary>The key host-wide samples are stored under; no instance UUID can be empty.</summary>
    public const string HostKey = "";
    private const int DefaultCapacity = 256;

    private readonly Dictionary<string, ArrayBufferWriter<byte>?[]> _byInstance = new(StringComparer.Ordinal);
    private Instance? _lastInstance;
    private ArrayBufferWriter<byte>?[]? _lastSegments;

    public void Write(MetricFamily family, Instance instance, double value, params ReadOnlySpan<string> labelValues)
    {
        var index = families.IndexOf(family);
        var segments = SegmentsOf(instance);
        TextFormat.WriteSample(segments[index] ??= NewBuffer(instance.Facts.InstanceUuid, index), family, value, labelValues);
    }

    public void WriteHostSample(MetricFamily family, double value, params ReadOnlySpan<string> labelValues)
    {
        var index = families.IndexOf(family);
        if (!_byInstance.TryGetValue(HostKey, out var segments))
            _byInstance.Add(HostKey, segments = new ArrayBufferWriter<byte>?[families.Count]);
        TextFormat.WriteSample(segments[index] ??= NewBuffer(HostKey, index), family, value, labelValues);
    }

    /// <summary>Bytes each instance's families took in this cycle, by UUID: the next cycle's starting sizes.</summary>
    public Dictionary<string, int[]> TakenSizes { get; } = new(StringComparer.Ordinal);

    /// <summary>Forgets what the given families wrote this cycle (their collector failed part-way).</summary>
    public void Discard(IEnumerable<MetricFamily> discarded)
    {
        foreach (var family in discarded)
        {
            var index = families.IndexOf(family);
            foreach (var segments in _byInstance.Values)
                segments[index] = null;
        }
    }

    /// <summary>The encoded lines of each family for <paramref name="instanceUuid"/> (empty where it wrote none);
    /// <see cref="HostKey"/> gives the host-wide samples.</summary>
    public ReadOnlyMemory<byte>[] Take(string instanceUuid)
    {
        var result = new ReadOnlyMemory<byte>[families.Count];
        if (_byInstance.TryGetValue(instanceUuid, out var segments))
        {
            var sizes = new int[segments.Length];
            for (var i = 0; i < segments.Length; i++)
            {
                if (segments[i] is not { WrittenCount: > 0 } written)
                    continue;
                result[i] = written.WrittenMemory;
                sizes[i] = written.WrittenCount;
            }
            TakenSizes[instanceUuid] = sizes;
        }
        return result;
    }

    private ArrayBufferWriter<byte> NewBuffer(string instanceUuid, int family)
    {
        // Counters gain a digit now and then: a little slack keeps the buffer from doubling for one byte.
        var previous = previousSizes is not null && previousSizes.TryGetValue(instanceUuid, out var sizes) ? sizes[family] : 0;
        return new ArrayBufferWriter<byte>(previous > 0 ? previous + previous / 32 + 32 : DefaultCapacity);
    }

    private ArrayBufferWriter<byte>?[] SegmentsOf(Instance instance)
    {
        if (ReferenceEquals(instance, _lastInstance))
            return _lastSegments!;
        var uuid = instance.Facts.InstanceUuid;
        if (!_byInstance.TryGetValue(uuid, out var segments))
            _byInstance.Add(uuid, segments = new ArrayBufferWriter<byte>?[families.Count]);
        _lastInstance = instance;
        _lastSegments = segments;
        return segments;
    }
}
