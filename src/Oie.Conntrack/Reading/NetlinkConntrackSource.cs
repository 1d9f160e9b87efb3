using Oie.Abstractions;
using Oie.Conntrack.Netlink;

namespace Oie.Conntrack.Reading;

/// <summary>
/// <c>-conntrack.source=netlink</c>: dumps the kernel table over a NETLINK_NETFILTER socket opened afresh each cycle
/// (inside <c>/run/netns/NAME</c> with <c>-conntrack.netns</c>). One dump holds both families; a dump the kernel cuts
/// short, refuses or does not end by the deadline fails as a whole, as a failing tool does.
/// </summary>
internal sealed class NetlinkConntrackSource(string netns, TimeSpan timeout) : IConntrackSource
{
    public string Display => netns.Length > 0 ? $"the ctnetlink dump in network namespace {netns}" : "the ctnetlink dump";

    public IReadOnlyList<ListingRead> Read(FlowAttribution sink, CancellationToken deadline)
    {
        ConntrackReadResult result;
        try
        {
            result = ConntrackDump.Read(netns, sink, deadline, timeout);
        }
        catch (OperationCanceledException)
        {
            return [Failed($"{Display} did not finish within -conntrack.timeout={GoDuration.Format(timeout)}")];
        }
        catch (ConntrackDumpException ex)
        {
            return [Failed($"{Display} failed: {ex.Message}")];
        }
        return [ConntrackReadPolicy.NetlinkListing(Display, result)];
    }

    private static ListingRead Failed(string error) => ListingRead.Failed(ConntrackFamilies.Both, error);
}
