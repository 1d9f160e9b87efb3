using System.Buffers.Text;
using Oie.Abstractions;

namespace Oie.Libvirt;

/// <summary>
/// The opt-in readings of a bulk record: the BALLOON and VCPU groups (requested only when a collector asks for them)
/// and the disk sizes the BLOCK group always carries. Kept beside the seed's counters so a record is still parsed in
/// one pass; a seed run never receives balloon/vcpu fields and never maps the sizes.
/// </summary>
internal sealed partial class BulkDomainStats
{
    /// <summary>balloon.* fields read, in <see cref="MemoryStats"/> order; the first <see cref="BalloonKiBFields"/> are KiB.</summary>
    private static readonly string[] BalloonKeys =
        ["current", "maximum", "rss", "available", "usable", "unused", "swap_in", "swap_out", "major_fault", "minor_fault"];

    private const int BalloonKiBFields = 8;

    /// <summary>block.N.* sizes, in <see cref="DiskCapacity"/> order; libvirt reports them in bytes.</summary>
    private static readonly string[] SizeKeys = ["capacity", "allocation", "physical"];

    private long?[]? _balloon;
    private bool _vcpuSeen;
    private int? _vcpuCurrent;
    private int? _vcpuMaximum;
    private long? _vcpuDelayNs;

    /// <summary>The balloon group in bytes; null when the record has no balloon field (not requested, or skipped by NOWAIT).</summary>
    public MemoryStats? Memory => _balloon is { } b
        ? new MemoryStats
        {
            CurrentBytes = b[0],
            MaximumBytes = b[1],
            RssBytes = b[2],
            AvailableBytes = b[3],
            UsableBytes = b[4],
            UnusedBytes = b[5],
            SwapInBytes = b[6],
            SwapOutBytes = b[7],
            MajorFaults = b[8],
            MinorFaults = b[9],
        }
        : null;

    /// <summary>The vcpu group; null when the record has no vcpu field. DelayNs sums <c>vcpu.N.delay</c> and stays null
    /// when no vCPU reported one (libvirt before 7.2, or a non-Linux host): absent, not 0.</summary>
    public VcpuStats? Vcpu => _vcpuSeen ? new VcpuStats(_vcpuCurrent, _vcpuMaximum, _vcpuDelayNs) : null;

    /// <summary>The sizes of the block device named <paramref name="target"/>; null when none was reported.</summary>
    public DiskCapacity? Capacity(string target) =>
        Find(_blocks, target) is { Sizes: { } s } ? new DiskCapacity(s[0], s[1], s[2]) : null;

    private static void SetSize(Device block, ReadOnlySpan<byte> key, long value)
    {
        var i = IndexOf(key, SizeKeys);
        if (i >= 0 && value >= 0)
            (block.Sizes ??= new long?[SizeKeys.Length])[i] = value;
    }

    private void SetBalloon(ReadOnlySpan<byte> key, long value)
    {
        var i = IndexOf(key, BalloonKeys);
        if (i < 0 || value < 0)
            return;
        // A value that would overflow as bytes is not believed (libvirt hands over unsigned 64-bit numbers).
        if (i < BalloonKiBFields && value > long.MaxValue / 1024)
            return;
        (_balloon ??= new long?[BalloonKeys.Length])[i] = i < BalloonKiBFields ? value * 1024 : value;
    }

    /// <summary>vcpu.current, vcpu.maximum and vcpu.N.delay (ns); vcpu.N.state/time/wait are not read.</summary>
    private void SetVcpu(ReadOnlySpan<byte> key, long value)
    {
        if (key.SequenceEqual("current"u8))
        {
            _vcpuSeen = true;
            _vcpuCurrent = (int)Math.Clamp(value, 0, int.MaxValue);
            return;
        }
        if (key.SequenceEqual("maximum"u8))
        {
            _vcpuSeen = true;
            _vcpuMaximum = (int)Math.Clamp(value, 0, int.MaxValue);
            return;
        }
        if (!Utf8Parser.TryParse(key, out int index, out var consumed) || index < 0 || index >= MaxDevices ||
            !key[consumed..].SequenceEqual(".delay"u8) || value < 0)
        {
            return;
        }

        _vcpuSeen = true;
        _vcpuDelayNs = (_vcpuDelayNs ?? 0) + value;
    }
}
