namespace Oie.Conntrack;

/// <summary>The conntrack zones the node's Neutron backend assigns (OVN, the OVS agent or its iptables firewall).</summary>
public interface IPortZones
{
    /// <summary>The zone a Neutron port's traffic is tracked in on this node.</summary>
    /// <param name="portId">The port id as <c>nova:port uuid</c> gives it.</param>
    bool TryGetZone(string portId, out ushort zone);

    /// <summary>True for every zone the backend assigned, to a port or to anything else it manages (an OVN router's
    /// NAT zones): an entry in such a zone belongs to that, not to whoever else holds its address.</summary>
    bool IsKnownZone(ushort zone);
}
