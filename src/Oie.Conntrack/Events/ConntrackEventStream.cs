using System.Diagnostics;
using Oie.Conntrack.Netlink;

namespace Oie.Conntrack.Events;

/// <summary>What one <see cref="ConntrackEventStream.Drain"/> did.</summary>
/// <param name="Overrun">ENOBUFS (or NLMSG_OVERRUN): the kernel dropped events, so the mirror no longer matches the
/// table and must be rebuilt from a dump.</param>
/// <param name="Late">The deadline passed with events still queued: the mirror is right up to the last event taken.</param>
internal readonly record struct DrainResult(long Added, long Removed, long Ended, long Malformed, bool Overrun, bool Late);

/// <summary>
/// A NETLINK_NETFILTER socket subscribed to ctnetlink's NEW and DESTROY groups (UPDATE is not needed: an entry's original
/// tuple and zone never change), and what <c>net.netfilter.nf_conntrack_events</c> was in its namespace when it was
/// opened. Event messages carry sequence number 0 and no NLMSG_DONE; loss shows only as ENOBUFS on receive.
/// </summary>
internal sealed class ConntrackEventStream : IDisposable
{
    public const string EventsSysctl = "/proc/sys/net/netfilter/nf_conntrack_events";

    private readonly NetlinkSocket _socket;

    private ConntrackEventStream(NetlinkSocket socket, int? eventsSetting)
    {
        _socket = socket;
        EventsSetting = eventsSetting;
    }

    /// <summary>nf_conntrack_events in the socket's namespace (0 off, 1 on, 2 only for entries made while a listener
    /// exists), null when it could not be read.</summary>
    public int? EventsSetting { get; }

    /// <summary>Subscribes in this process's namespace or in <c>/run/netns/<paramref name="netns"/></c>. Events made
    /// from now on are queued for <see cref="Drain"/>, up to <paramref name="receiveBuffer"/> bytes.</summary>
    public static ConntrackEventStream Open(string? netns, int receiveBuffer) =>
        NetlinkSocket.InNamespace(netns, () =>
        {
            NetlinkSocket socket = NetlinkSocket.OpenNetfilter(null, receiveBuffer);
            try
            {
                socket.Subscribe(CtNetlink.GroupConntrackNew);
                socket.Subscribe(CtNetlink.GroupConntrackDestroy);
                return new ConntrackEventStream(socket, ReadEventsSetting());
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        });

    /// <summary>Opened on the calling thread, so in its network namespace (/proc/sys/net is the opener's).</summary>
    private static int? ReadEventsSetting()
    {
        try
        {
            return int.TryParse(File.ReadAllText(EventsSysctl).Trim(), out int value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Applies every queued event to <paramref name="mirror"/> in order, without waiting for more: NEW adds, DESTROY
    /// removes, and an entry that began and ended since <see cref="ConntrackMirror.NextGeneration"/> goes to
    /// <paramref name="sink"/>'s <see cref="FlowAttribution.OnEndedFlow"/>. Stops at an overrun (what is still queued
    /// is no use: the mirror is rebuilt) or once <paramref name="deadlineTimestamp"/> passes.
    /// </summary>
    public DrainResult Drain(ConntrackMirror mirror, FlowAttribution? sink, Span<byte> buffer, long deadlineTimestamp)
    {
        long added = 0, removed = 0, ended = 0, malformed = 0;
        while (true)
        {
            ReceiveStatus status = _socket.TryReceive(buffer, out int length);
            if (status == ReceiveStatus.Empty)
            {
                return new DrainResult(added, removed, ended, malformed, Overrun: false, Late: false);
            }

            if (status == ReceiveStatus.Overrun)
            {
                return new DrainResult(added, removed, ended, malformed, Overrun: true, Late: false);
            }

            var messages = new NetlinkMessageReader(buffer[..length]);
            while (messages.TryRead(out ushort type, out _, out _, out ReadOnlySpan<byte> payload))
            {
                switch (type)
                {
                    case CtNetlink.CtNew:
                        if (!mirror.TryAdd(payload, out bool isNew))
                        {
                            malformed++;
                        }
                        else if (isNew)
                        {
                            added++;
                        }

                        break;
                    case CtNetlink.CtDelete:
                        if (!mirror.TryRemove(payload, out bool wasThere, out ConntrackFlow? endedFlow))
                        {
                            malformed++;
                            break;
                        }

                        removed += wasThere ? 1 : 0;
                        if (endedFlow is { } flow)
                        {
                            ended++;
                            sink?.OnEndedFlow(in flow);
                        }

                        break;
                    case CtNetlink.NlmsgOverrun:
                        return new DrainResult(added, removed, ended, malformed, Overrun: true, Late: false);
                }
            }

            if (Stopwatch.GetTimestamp() > deadlineTimestamp)
            {
                return new DrainResult(added, removed, ended, malformed, Overrun: false, Late: true);
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
