using Oie.Abstractions;
using Oie.Conntrack;
using Oie.Conntrack.Netlink;

namespace Oie.Collectors.Conntrack;

/// <summary>
/// <c>-conntrack.source=netlink</c>: dumps the kernel table over a NETLINK_NETFILTER socket opened afresh each cycle
/// (inside <c>/run/netns/NAME</c> with <c>-conntrack.netns</c>). A dump the kernel cuts short, refuses or does not end
/// by the deadline fails the cycle as a whole, as a failing tool does.
/// </summary>
internal sealed class NetlinkConntrackSource(string netns, TimeSpan timeout) : IConntrackSource
{
    public string Display => netns.Length > 0 ? $"the ctnetlink dump in network namespace {netns}" : "the ctnetlink dump";

    public ConntrackReadResult Read(FlowAttribution sink, CancellationToken deadline)
    {
        ConntrackReadResult result;
        try
        {
            result = ConntrackDump.Read(netns, sink, deadline, timeout);
        }
        catch (OperationCanceledException)
        {
            throw ConntrackReadPolicy.Error($"{Display} did not finish within -conntrack.timeout={GoDuration.Format(timeout)}");
        }
        catch (ConntrackDumpException ex)
        {
            throw ConntrackReadPolicy.Error($"{Display} failed: {ex.Message}", ex);
        }
        if (ConntrackReadPolicy.IsGarbage(result))
            throw ConntrackReadPolicy.Error($"{Display} returned no usable table: {result.Malformed} of its {result.Lines} entries are malformed");
        return result;
    }
}
