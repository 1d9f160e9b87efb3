namespace Oie.Abstractions;

/// <summary>
/// Threat-intel matching that rides along the conntrack pass: the conntrack collector reports every flow's remote
/// endpoint for the instance whose fixed IP it touched, and the analysis writes its own samples (the contact metrics)
/// after the pass — one read of the table serves both.
/// </summary>
public interface IContactAnalysis
{
    /// <summary>The metric families <see cref="WriteSamples"/> writes; the conntrack collector declares them as its own.</summary>
    IReadOnlyList<MetricFamily> Families { get; }

    /// <summary>Starts a pass over one cycle's table.</summary>
    /// <param name="slotInstances">The instance of each slot that <see cref="OnContact"/> will name (one slot per fixed IP;
    /// several slots may share an instance).</param>
    /// <param name="slotAddresses">The fixed IP of each slot in canonical form, for the hit log.</param>
    void BeginCycle(IReadOnlyList<Instance> slotInstances, IReadOnlyList<string> slotAddresses);

    /// <param name="slot">Index into the lists given to <see cref="BeginCycle"/>.</param>
    /// <param name="isV6">Whether <paramref name="remote"/> is IPv6; an IPv4 address is in its low 32 bits.</param>
    /// <param name="remote">The flow's other endpoint.</param>
    /// <param name="outbound">The instance's fixed IP is the flow's original source.</param>
    void OnContact(int slot, bool isV6, UInt128 remote, bool outbound);

    /// <summary>Ends the pass: writes this cycle's samples.</summary>
    void WriteSamples(ISampleWriter writer);
}
