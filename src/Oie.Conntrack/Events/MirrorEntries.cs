using System.Runtime.InteropServices;
using Oie.Net;

namespace Oie.Conntrack.Events;

/// <summary>
/// An IPv4 entry of the mirror in 20 bytes: only what attribution reads (addresses, protocol, zone), the identity and
/// the cycle it was added in. The IPv6 table is apart so IPv4 entries do not pay for 128-bit addresses.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly struct MirrorEntryV4(ulong key, uint source, uint destination, byte protocol, ushort zone, byte added) : IMirrorEntry
{
    public ulong Key { get; } = key;

    private readonly uint _source = source;
    private readonly uint _destination = destination;
    private readonly ushort _zone = zone;
    private readonly byte _protocol = protocol;

    /// <summary>The mirror's generation (cycle number, wrapping) when the entry was added.</summary>
    public byte Added { get; } = added;

    public ConntrackFlow Flow => new(IpKey.FromV4(_source), IpKey.FromV4(_destination), _protocol, _zone);
}

/// <summary>An IPv6 entry of the mirror in 44 bytes; see <see cref="MirrorEntryV4"/>.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly struct MirrorEntryV6(ulong key, UInt128 source, UInt128 destination, byte protocol, ushort zone, byte added) : IMirrorEntry
{
    public ulong Key { get; } = key;

    private readonly ulong _sourceHigh = (ulong)(source >> 64);
    private readonly ulong _sourceLow = (ulong)source;
    private readonly ulong _destinationHigh = (ulong)(destination >> 64);
    private readonly ulong _destinationLow = (ulong)destination;
    private readonly ushort _zone = zone;
    private readonly byte _protocol = protocol;

    public byte Added { get; } = added;

    public ConntrackFlow Flow =>
        new(IpKey.FromV6(_sourceHigh, _sourceLow), IpKey.FromV6(_destinationHigh, _destinationLow), _protocol, _zone);
}
