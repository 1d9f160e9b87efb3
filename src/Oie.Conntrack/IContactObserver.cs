using Oie.Net;

namespace Oie.Conntrack;

/// <summary>Sees, during the single attribution pass, each flow's remote endpoint for each fixed IP it touches
/// (the seam the threat-feed matchers plug into). Called once per matched side, O(1) work expected.</summary>
public interface IContactObserver
{
    /// <param name="fixedIpSlot">Slot in the <see cref="FixedIpIndex"/> of the instance's fixed IP.</param>
    /// <param name="remote">The other end of the flow.</param>
    void OnContact(int fixedIpSlot, in IpKey remote, FlowDirection direction);
}
