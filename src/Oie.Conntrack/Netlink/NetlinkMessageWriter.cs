using System.Buffers.Binary;

namespace Oie.Conntrack.Netlink;

/// <summary>
/// Writes netlink messages into a caller's buffer: a <c>nlmsghdr</c> (host byte order), an optional <c>nfgenmsg</c>,
/// then attributes, nested ones included, each padded to 4 bytes. Lengths are filled in when a message or a nested
/// attribute ends. Used for the dump request, and by tests and benchmarks to build entries the way the kernel does.
/// </summary>
public ref struct NetlinkMessageWriter(Span<byte> buffer)
{
    private readonly Span<byte> _buffer = buffer;
    private int _position;
    private int _message;

    /// <summary>Bytes written so far.</summary>
    public readonly int Length => _position;

    public readonly ReadOnlySpan<byte> Written => _buffer[.._position];

    public void BeginMessage(ushort type, ushort flags, uint sequence, uint portId = 0)
    {
        _message = _position;
        Span<byte> header = Take(CtNetlink.NetlinkHeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], portId);
    }

    /// <summary>The nfnetlink header that follows nlmsghdr: address family, version 0, resource id 0.</summary>
    public void NfGenMsg(byte family)
    {
        Span<byte> header = Take(CtNetlink.NfGenMsgLength);
        header[0] = family;
        header[1] = 0;
        header[2] = 0;
        header[3] = 0;
    }

    /// <summary>Sets the message's nlmsg_len (header included, padding not).</summary>
    public void EndMessage()
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer[_message..], (uint)(_position - _message));
        Pad();
    }

    public void Attribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        Span<byte> header = Take(CtNetlink.AttributeHeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(CtNetlink.AttributeHeaderLength + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], type);
        value.CopyTo(Take(value.Length));
        Pad();
    }

    public void AttributeU8(ushort type, byte value) => Attribute(type, [value]);

    public void AttributeU16BigEndian(ushort type, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        Attribute(type, bytes);
    }

    public void AttributeU32BigEndian(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        Attribute(type, bytes);
    }

    /// <summary>Starts a nested attribute (NLA_F_NESTED set); pass the result to <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        int start = _position;
        Span<byte> header = Take(CtNetlink.AttributeHeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)(type | CtNetlink.AttributeNested));
        return start;
    }

    public void EndNested(int start) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[start..], (ushort)(_position - start));

    /// <summary>Bytes as they are, for payloads that are not attributes (an NLMSG_ERROR's errno, say).</summary>
    public void Raw(scoped ReadOnlySpan<byte> bytes) => bytes.CopyTo(Take(bytes.Length));

    private Span<byte> Take(int length)
    {
        Span<byte> span = _buffer.Slice(_position, length);
        _position += length;
        return span;
    }

    private void Pad()
    {
        int aligned = CtNetlink.Align(_position);
        _buffer[_position..aligned].Clear();
        _position = aligned;
    }
}
