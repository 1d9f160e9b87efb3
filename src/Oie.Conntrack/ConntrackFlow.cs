using Oie.Net;

namespace Oie.Conntrack;

/// <summary>One conntrack entry's original tuple: the first <c>src=</c>/<c>dst=</c> of the line, the L4 protocol
/// number printed after the protocol name (6 tcp, 17 udp, 1 icmp, 58 icmpv6, 47 gre, 132 sctp, 136 udplite, ...), and
/// the entry's conntrack zone (0, the default zone, when none is printed).</summary>
public readonly struct ConntrackFlow : IEquatable<ConntrackFlow>
{
    public ConntrackFlow(IpKey source, IpKey destination, byte protocol, ushort zone = 0)
    {
        Source = source;
        Destination = destination;
        Protocol = protocol;
        Zone = zone;
    }

    public IpKey Source { get; }

    public IpKey Destination { get; }

    public byte Protocol { get; }

    /// <summary>The zone the entry's original direction is tracked in: <c>zone=</c> (both directions) or
    /// <c>zone-orig=</c> in text, CTA_ZONE or the original tuple's CTA_TUPLE_ZONE over netlink.</summary>
    public ushort Zone { get; }

    public bool Equals(ConntrackFlow other) =>
        Source.Equals(other.Source) && Destination.Equals(other.Destination) && Protocol == other.Protocol && Zone == other.Zone;

    public override bool Equals(object? obj) => obj is ConntrackFlow other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Source, Destination, Protocol, Zone);

    public static bool operator ==(ConntrackFlow left, ConntrackFlow right) => left.Equals(right);

    public static bool operator !=(ConntrackFlow left, ConntrackFlow right) => !left.Equals(right);

    public override string ToString() => Zone == 0 ? $"{Protocol} {Source} -> {Destination}" : $"{Protocol} {Source} -> {Destination} zone {Zone}";
}
