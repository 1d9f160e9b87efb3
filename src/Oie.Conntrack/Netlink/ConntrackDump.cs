using System.Buffers;
using System.Diagnostics;

namespace Oie.Conntrack.Netlink;

/// <summary>
/// Dumps the kernel conntrack table over ctnetlink (IPCTNL_MSG_CT_GET with NLM_F_DUMP, AF_UNSPEC: IPv4 and IPv6 in one
/// dump) and streams it through <see cref="ConntrackDumpParser"/> into a sink. One pooled receive buffer, no process, no
/// text, nothing allocated per entry.
/// </summary>
public static class ConntrackDump
{
    /// <summary>Larger than any dump datagram: the kernel sizes them at most 32 KiB (SKB_WITH_OVERHEAD(32768)), from
    /// the receive length it has seen. A larger one is caught (MSG_TRUNC) and rejects the dump.</summary>
    public const int ReceiveBufferLength = 64 * 1024;

    /// <summary>SO_RCVBUF(FORCE) for the socket: room for many datagrams should the reader fall behind.</summary>
    public const int SocketReceiveBuffer = 8 * 1024 * 1024;

    /// <summary>Opens a socket (in <c>/run/netns/<paramref name="netns"/></c> when given), dumps and closes it. Throws
    /// <see cref="ConntrackDumpException"/> when the dump cannot be read whole, <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> is cancelled or <paramref name="timeout"/> passes first.</summary>
    /// <param name="timeout">Also checked on the monotonic clock between datagrams: the dump runs synchronously, so
    /// a timer-driven token alone can fire late on a loaded machine while datagrams keep arriving.</param>
    public static ConntrackReadResult Read<TSink>(string? netns, TSink sink, CancellationToken cancellationToken, TimeSpan? timeout = null)
        where TSink : IFlowSink
    {
        long deadline = DeadlineAfter(timeout);
        using NetlinkSocket socket = NetlinkSocket.OpenNetfilter(netns, SocketReceiveBuffer);
        return ReadFrom(socket, sink, cancellationToken, deadline);
    }

    /// <summary>One dump over an open socket that has no other request in flight, abandoned (with
    /// <see cref="OperationCanceledException"/>) once <see cref="Stopwatch.GetTimestamp"/> passes
    /// <paramref name="deadlineTimestamp"/>.</summary>
    public static ConntrackReadResult ReadFrom<TSink>(NetlinkSocket socket, TSink sink, CancellationToken cancellationToken,
        long deadlineTimestamp = long.MaxValue)
        where TSink : IFlowSink
    {
        var flows = new FlowSinkEntries<TSink>(sink);
        return ReadEntriesFrom(socket, ref flows, cancellationToken, deadlineTimestamp);
    }

    /// <summary>As <see cref="ReadFrom{TSink}"/>, handing each entry message to <paramref name="handler"/> unparsed.</summary>
    public static ConntrackReadResult ReadEntriesFrom<THandler>(NetlinkSocket socket, ref THandler handler,
        CancellationToken cancellationToken, long deadlineTimestamp = long.MaxValue)
        where THandler : IConntrackEntryHandler
    {
        ArgumentNullException.ThrowIfNull(socket);
        uint sequence = (uint)Environment.TickCount64 | 1;
        Span<byte> request = stackalloc byte[CtNetlink.NetlinkHeaderLength + CtNetlink.NfGenMsgLength];
        WriteRequest(request, sequence);
        socket.Send(request);

        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferLength);
        try
        {
            var parser = new ConntrackDumpParser(sequence);
            while (true)
            {
                int received = socket.Receive(buffer, cancellationToken);
                if (Stopwatch.GetTimestamp() > deadlineTimestamp)
                {
                    throw new OperationCanceledException("the conntrack dump passed its deadline");
                }

                if (parser.ParseEntries(buffer.AsSpan(0, received), ref handler))
                {
                    return parser.Result;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Deadline as a <see cref="Stopwatch"/> timestamp, <see cref="long.MaxValue"/> for none.</summary>
    public static long DeadlineAfter(TimeSpan? timeout) =>
        timeout is { } limit ? Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;

    /// <summary>The dump request: IPCTNL_MSG_CT_GET, NLM_F_REQUEST | NLM_F_DUMP, nfgenmsg family AF_UNSPEC.</summary>
    public static int WriteRequest(Span<byte> destination, uint sequence)
    {
        var writer = new NetlinkMessageWriter(destination);
        writer.BeginMessage(CtNetlink.CtGet, CtNetlink.NlmFRequest | CtNetlink.NlmFDump, sequence);
        writer.NfGenMsg(CtNetlink.AfUnspec);
        writer.EndMessage();
        return writer.Length;
    }
}
