using Oie.Net;

namespace Oie.Conntrack;

/// <summary>
/// The one pass over a cycle's flows: a flow counts for a fixed IP when that IP is its original source (outbound) or
/// original destination (inbound); a flow between two fixed IPs counts for both. O(1) per flow.
/// </summary>
public sealed class FlowAttribution : IFlowSink
{
    private readonly FixedIpIndex _index;
    private readonly IContactObserver? _observer;
    private readonly int[] _counts;
    private long _flows;

    public FlowAttribution(FixedIpIndex index, IContactObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        _index = index;
        _observer = observer;
        _counts = new int[index.Count];
    }

    public FixedIpIndex Index => _index;

    /// <summary>Flows matched to each slot of the index.</summary>
    public ReadOnlySpan<int> Counts => _counts;

    /// <summary>Every flow seen, matched or not.</summary>
    public long Flows => _flows;

    /// <remarks>A flow whose source and destination are the same fixed IP counts once for it, as outbound.</remarks>
    public void OnFlow(in ConntrackFlow flow)
    {
        _flows++;
        int source = -1;
        if (_index.TryFind(flow.Source, out source))
        {
            _counts[source]++;
            _observer?.OnContact(source, flow.Destination, FlowDirection.Outbound);
        }

        if (_index.TryFind(flow.Destination, out int destination) && destination != source)
        {
            _counts[destination]++;
            _observer?.OnContact(destination, flow.Source, FlowDirection.Inbound);
        }
    }

    /// <summary>Zeroes the counts so the same instance can attribute another read against the same index.</summary>
    public void Reset()
    {
        Array.Clear(_counts);
        _flows = 0;
    }
}
