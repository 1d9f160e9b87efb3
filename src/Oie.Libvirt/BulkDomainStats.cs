using System.Buffers.Text;
using Oie.Abstractions;

namespace Oie.Libvirt;

/// <summary>
/// One domain's record from virConnectGetAllDomainStats, reduced to the fields the exporter reads. Fed one typed
/// parameter at a time by field name (UTF-8, as libvirt hands them over) so a record costs no string per field.
/// The opt-in readings (balloon, vCPU, disk sizes) are in BulkDomainStats.Readings.cs.
/// </summary>
internal sealed partial class BulkDomainStats
{
    /// <summary>Above this a device index is not believed (it would only grow the lists).</summary>
    private const int MaxDevices = 4096;

    private readonly List<Device> _blocks = [];
    private readonly List<Device> _nets = [];

    public int? State { get; private set; }
    public long? CpuTimeNs { get; private set; }
    public int? BlockCount { get; private set; }
    public int? NetCount { get; private set; }

    private static readonly string[] BlockKeys = ["rd.reqs", "rd.bytes", "wr.reqs", "wr.bytes"];
    private static readonly string[] NetKeys = ["rx.bytes", "rx.pkts", "rx.errs", "rx.drop", "tx.bytes", "tx.pkts", "tx.errs", "tx.drop"];

    public void SetNumber(ReadOnlySpan<byte> field, long value)
    {
        if (field.SequenceEqual("state.state"u8))
        {
            State = (int)value;
        }
        else if (field.SequenceEqual("cpu.time"u8))
        {
            CpuTimeNs = value;
        }
        else if (field.SequenceEqual("block.count"u8))
        {
            BlockCount = (int)value;
        }
        else if (field.SequenceEqual("net.count"u8))
        {
            NetCount = (int)value;
        }
        else if (TryDevice(field, "block."u8, _blocks, BlockKeys.Length, out var block, out var rest))
        {
            if (!SetCounter(block, rest, BlockKeys, value))
                SetSize(block, rest, value);
        }
        else if (field.StartsWith("balloon."u8))
        {
            SetBalloon(field["balloon."u8.Length..], value);
        }
        else if (field.StartsWith("vcpu."u8))
        {
            SetVcpu(field["vcpu."u8.Length..], value);
        }
        else if (TryDevice(field, "net."u8, _nets, NetKeys.Length, out var net, out rest))
        {
            SetCounter(net, rest, NetKeys, value);
        }
    }

    public void SetString(ReadOnlySpan<byte> field, string value)
    {
        if (TryDevice(field, "block."u8, _blocks, BlockKeys.Length, out var block, out var rest) && rest.SequenceEqual("name"u8))
            block.Name ??= value;
        else if (TryDevice(field, "net."u8, _nets, NetKeys.Length, out var net, out rest) && rest.SequenceEqual("name"u8))
            net.Name ??= value;
    }

    /// <summary>The counters of the block device named <paramref name="target"/>, if all four were reported.</summary>
    public BlockCounters? Block(string target) =>
        Find(_blocks, target) is { } d && d.Complete
            ? new BlockCounters(d.Values[0]!.Value, d.Values[1]!.Value, d.Values[2]!.Value, d.Values[3]!.Value)
            : null;

    /// <summary>The counters of the interface named <paramref name="target"/>, if all eight were reported.</summary>
    public InterfaceCounters? Interface(string target) =>
        Find(_nets, target) is { } d && d.Complete
            ? new InterfaceCounters(d.Values[0]!.Value, d.Values[1]!.Value, d.Values[2]!.Value, d.Values[3]!.Value,
                d.Values[4]!.Value, d.Values[5]!.Value, d.Values[6]!.Value, d.Values[7]!.Value)
            : null;

    public bool HasBlock(string target) => Find(_blocks, target) is not null;

    public bool HasInterface(string target) => Find(_nets, target) is not null;

    private static Device? Find(List<Device> devices, string name)
    {
        foreach (var d in devices)
        {
            if (d.Name == name)
                return d;
        }
        return null;
    }

    private static bool SetCounter(Device device, ReadOnlySpan<byte> key, string[] keys, long value)
    {
        var i = IndexOf(key, keys);
        if (i < 0)
            return false;
        device.Values[i] = value;
        return true;
    }

    private static int IndexOf(ReadOnlySpan<byte> key, string[] keys)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            if (Utf8Equals(key, keys[i]))
                return i;
        }
        return -1;
    }

    /// <summary>Splits "block.3.rd.reqs" into the device at index 3 and "rd.reqs".</summary>
    private static bool TryDevice(ReadOnlySpan<byte> field, ReadOnlySpan<byte> prefix, List<Device> devices, int valueCount,
        out Device device, out ReadOnlySpan<byte> rest)
    {
        device = null!;
        rest = default;
        if (!field.StartsWith(prefix))
            return false;
        var tail = field[prefix.Length..];
        if (!Utf8Parser.TryParse(tail, out int index, out var consumed) || index < 0 || index >= MaxDevices ||
            consumed >= tail.Length || tail[consumed] != (byte)'.')
        {
            return false;
        }

        while (devices.Count <= index)
            devices.Add(new Device(valueCount));
        device = devices[index];
        rest = tail[(consumed + 1)..];
        return true;
    }

    private static bool Utf8Equals(ReadOnlySpan<byte> utf8, string ascii)
    {
        if (utf8.Length != ascii.Length)
            return false;
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] != ascii[i])
                return false;
        }
        return true;
    }

    private sealed class Device(int valueCount)
    {
        public string? Name;
        public readonly long?[] Values = new long?[valueCount];

        /// <summary>Block devices only: capacity, allocation, physical (see <see cref="SizeKeys"/>); allocated on the first.</summary>
        public long?[]? Sizes;
        public bool Complete => Array.TrueForAll(Values, v => v.HasValue);
    }
}
