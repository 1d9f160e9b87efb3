using System.Buffers;
using Oie.Abstractions;

namespace Oie.Host.Exposition;

/// <summary>The samples one cycle's collectors wrote, encoded as text-format lines, per instance and family.</summary>
internal sealed class CycleSamples(FamilyTable families) : ISampleWriter
{
    /// <summary>The key host-wide samples are stored under; no instance UUID can be empty.</summary>
    public const string HostKey = "";

    private readonly Dictionary<string, ArrayBufferWriter<byte>?[]> _byInstance = new(StringComparer.Ordinal);
    private Instance? _lastInstance;
    private ArrayBufferWriter<byte>?[]? _lastSegments;

    public void Write(MetricFamily family, Instance instance, double value, params ReadOnlySpan<string> labelValues)
    {
        var index = families.IndexOf(family);
        var segments = SegmentsOf(instance);
        TextFormat.WriteSample(segments[index] ??= new ArrayBufferWriter<byte>(256), family, value, labelValues);
    }

    public void WriteHostSample(MetricFamily family, double value, params ReadOnlySpan<string> labelValues)
    {
        var index = families.IndexOf(family);
        if (!_byInstance.TryGetValue(HostKey, out var segments))
            _byInstance.Add(HostKey, segments = new ArrayBufferWriter<byte>?[families.Count]);
        TextFormat.WriteSample(segments[index] ??= new ArrayBufferWriter<byte>(256), family, value, labelValues);
    }

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

    /// <summary>The encoded lines of each family for <paramref name="instanceUuid"/> (null where it wrote none);
    /// <see cref="HostKey"/> gives the host-wide samples.</summary>
    public byte[]?[] Take(string instanceUuid)
    {
        var result = new byte[]?[families.Count];
        if (_byInstance.TryGetValue(instanceUuid, out var segments))
        {
            for (var i = 0; i < segments.Length; i++)
                result[i] = segments[i] is { WrittenCount: > 0 } s ? s.WrittenSpan.ToArray() : null;
        }
        return result;
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
