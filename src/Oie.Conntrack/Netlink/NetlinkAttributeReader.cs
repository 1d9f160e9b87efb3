using System.Buffers.Binary;

namespace Oie.Conntrack.Netlink;

/// <summary>
/// Walks the netlink attributes (<c>struct nlattr</c>: u16 length including the 4-byte header, u16 type) laid end to
/// end in <paramref name="attributes"/>, each padded to 4 bytes. An attribute shorter than its header or longer than
/// what is left ends the walk and sets <see cref="Malformed"/>; a missing pad after the last one is fine.
/// </summary>
public ref struct NetlinkAttributeReader(ReadOnlySpan<byte> attributes)
{
    private ReadOnlySpan<byte> _rest = attributes;

    public bool Malformed { get; private set; }

    /// <param name="type">Without the NLA_F_NESTED / NLA_F_NET_BYTEORDER flag bits.</param>
    public bool TryRead(out ushort type, out ReadOnlySpan<byte> payload)
    {
        type = 0;
        payload = default;
        if (_rest.IsEmpty)
        {
            return false;
        }

        if (_rest.Length < CtNetlink.AttributeHeaderLength)
        {
            Malformed = true;
            _rest = default;
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (length < CtNetlink.AttributeHeaderLength || length > _rest.Length)
        {
            Malformed = true;
            _rest = default;
            return false;
        }

        type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & CtNetlink.AttributeTypeMask);
        payload = _rest[CtNetlink.AttributeHeaderLength..length];
        int next = CtNetlink.Align(length);
        _rest = next >= _rest.Length ? default : _rest[next..];
        return true;
    }
}
