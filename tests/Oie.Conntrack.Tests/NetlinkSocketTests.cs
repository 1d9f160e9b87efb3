using System.Diagnostics;
using Oie.Conntrack.Netlink;

namespace Oie.Conntrack.Tests;

/// <summary>The socket against the real kernel, in this process's own namespace; nothing here needs root.</summary>
public class NetlinkSocketTests
{
    [Fact]
    public void Waiting_for_a_datagram_that_never_comes_ends_at_the_deadline()
    {
        using NetlinkSocket socket = NetlinkSocket.OpenNetfilter(null, ConntrackDump.SocketReceiveBuffer);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => socket.Receive(new byte[1024], deadline.Token));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(190), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void A_datagram_larger_than_the_buffer_is_rejected_not_cut()
    {
        using NetlinkSocket socket = NetlinkSocket.OpenNetfilter(null, ConntrackDump.SocketReceiveBuffer);
        // A request for a subsystem that does not exist, with NLM_F_ACK: the kernel answers NLMSG_ERROR (36 bytes).
        var request = new byte[20];
        var writer = new NetlinkMessageWriter(request);
        writer.BeginMessage((99 << 8) | 1, CtNetlink.NlmFRequest | 0x4, 1);
        writer.NfGenMsg(CtNetlink.AfUnspec);
        writer.EndMessage();
        socket.Send(request);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var error = Assert.Throws<ConntrackDumpException>(() => socket.Receive(new byte[8], deadline.Token));
        Assert.Contains("did not fit the 8-byte receive buffer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dumping_the_own_namespace_works_as_root_and_is_refused_otherwise()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var sink = new CountingSink();
        if (Environment.IsPrivilegedProcess)
        {
            ConntrackReadResult result = ConntrackDump.Read(null, sink, deadline.Token);
            Assert.Equal(result.Lines, result.Flows + result.Malformed);
            Assert.Equal(result.Flows, sink.Count);
        }
        else
        {
            var error = Assert.Throws<ConntrackDumpException>(() => ConntrackDump.Read(null, sink, deadline.Token));
            Assert.Contains("Operation not permitted", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_namespace_that_does_not_exist_is_named_in_the_error()
    {
        var error = Assert.Throws<ConntrackDumpException>(() => NetlinkSocket.OpenNetfilter($"oie-no-such-ns-{Environment.ProcessId}", 4096));
        Assert.Contains("/run/netns/oie-no-such-ns-", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../proc/1/ns/net")]
    [InlineData("..")]
    public void A_path_is_not_taken_for_a_namespace_name(string name)
    {
        var error = Assert.Throws<ConntrackDumpException>(() => NetlinkSocket.OpenNetfilter(name, 4096));
        Assert.Contains("not a network namespace name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disposed_socket_refuses_to_be_used()
    {
        NetlinkSocket socket = NetlinkSocket.OpenNetfilter(null, 4096);
        socket.Dispose();
        socket.Dispose();
        Assert.Throws<ObjectDisposedException>(() => socket.Send(new byte[20]));
    }
}
