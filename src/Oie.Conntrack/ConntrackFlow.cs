using Oie.Net;

namespace Oie.Conntrack;

/// <summary>One conntrack entry's original tuple: the first <c>src=</c>/<c>dst=</c> of the line, and the L4 protocol
/// number printed after the protocol name (6 tcp, 17 udp, 1 icmp, 58 icmpv6, 47 gre, 132 sctp, 136 udplite, ...).</summary>
public readonly struct ConntrackFlow : IEquatable<ConntrackFlow>
{
    public ConntrackFlow(IpKey source, IpKey destination, byte protocol)
    {
        Source = source;
        Destination = destination;
        Protocol = protocol;
    }

    public IpKey Source { get; }

    public IpKey Destination { get; }

    public byte Protocol { get; }

    public bool Equals(ConntrackFlow other) =>
        Source.Equals(other.Source) && Destination.Equals(other.Destination) && Protocol == other.Protocol;

    public override bool Equals(object? obj) => obj is ConntrackFlow other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Source, Destination, Protocol);

    public static bool operator ==(ConntrackFlow left, ConntrackFlow right) => left.Equals(right);

    public static bool operator !=(ConntrackFlow left, ConntrackFlow right) => !left.Equals(right);

    public override string ToString() => $"{Protocol} {Source} -> {Destination}";
}
