using System.Buffers.Binary;

namespace Oie.Conntrack.Netlink;

/// <summary>
/// Walks the netlink messages (<c>struct nlmsghdr</c> + payload, each padded to 4 bytes) of one datagram, for the dump
/// parser and the event stream alike. A message shorter than its header or longer than what is left of the datagram
/// throws <see cref="ConntrackDumpException"/>: the datagram was cut short.
/// </summary>
public ref struct NetlinkMessageReader(ReadOnlySpan<byte> datagram)
{
    private ReadOnlySpan<byte> _rest = datagram;

    public bool TryRead(out ushort type, out ushort flags, out uint sequence, out ReadOnlySpan<byte> payload)
    {
        type = 0;
        flags = 0;
        sequence = 0;
        payload = default;
        if (_rest.IsEmpty)
        {
            return false;
        }

        if (_rest.Length < CtNetlink.NetlinkHeaderLength)
        {
            throw Truncated($"{_rest.Length} bytes left, less than a netlink header");
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(_rest);
        if (length < CtNetlink.NetlinkHeaderLength || length > (uint)_rest.Length)
        {
            throw Truncated($"a message claims {length} bytes with {_rest.Length} left in its datagram");
        }

        type = BinaryPrimitives.ReadUInt16LittleEndian(_rest[4..]);
        flags = BinaryPrimitives.ReadUInt16LittleEndian(_rest[6..]);
        sequence = BinaryPrimitives.ReadUInt32LittleEndian(_rest[8..]);
        payload = _rest[CtNetlink.NetlinkHeaderLength..(int)length];
        int next = CtNetlink.Align((int)length);
        _rest = next >= _rest.Length ? default : _rest[next..];
        return true;
    }

    private static ConntrackDumpException Truncated(string what) => new($"truncated netlink message: {what}");
}
