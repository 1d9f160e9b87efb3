using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Oie.Conntrack.Netlink;

/// <summary>
/// A NETLINK_NETFILTER socket, bound to the namespace it was created in for its whole life: opening it inside another
/// network namespace is done on a throw-away thread that enters the namespace, creates the socket and goes back, so no
/// thread the runtime reuses ever runs in a foreign namespace.
/// </summary>
public sealed unsafe class NetlinkSocket : IDisposable
{
    /// <summary>The longest one poll waits before the deadline is looked at again.</summary>
    private const int PollSliceMilliseconds = 100;

    private int _fd;

    private NetlinkSocket(int fd) => _fd = fd;

    ~NetlinkSocket() => Close();

    /// <summary>Opens a socket in this process's network namespace, or in <c>/run/netns/<paramref name="netns"/></c>.</summary>
    public static NetlinkSocket OpenNetfilter(string? netns, int receiveBuffer) =>
        InNamespace(netns, () => Create(receiveBuffer));

    /// <summary>
    /// Runs <paramref name="action"/> in this process's network namespace, or on a throw-away thread that has entered
    /// <c>/run/netns/<paramref name="netns"/></c> (sockets it creates and <c>/proc/sys/net</c> files it opens belong
    /// to that namespace). Its exception is rethrown here.
    /// </summary>
    public static T InNamespace<T>(string? netns, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (string.IsNullOrEmpty(netns))
        {
            return action();
        }

        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = RunIn(netns, action);
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
        })
        {
            IsBackground = true,
            Name = "oie netns " + netns,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    private static T RunIn<T>(string netns, Func<T> action)
    {
        if (netns.Contains('/', StringComparison.Ordinal) || netns is "." or "..")
        {
            throw new ConntrackDumpException($"'{netns}' is not a network namespace name (a name under /run/netns, not a path)");
        }

        string path = "/run/netns/" + netns;
        int target = LibC.Open(path, LibC.ORdonly | LibC.OCloexec);
        if (target < 0)
        {
            throw new ConntrackDumpException($"cannot open network namespace {path}: {LibC.Describe(Marshal.GetLastPInvokeError())}");
        }

        int own = LibC.Open("/proc/thread-self/ns/net", LibC.ORdonly | LibC.OCloexec);
        try
        {
            if (own < 0)
            {
                throw new ConntrackDumpException($"cannot open this thread's network namespace: {LibC.Describe(Marshal.GetLastPInvokeError())}");
            }

            if (LibC.SetNs(target, LibC.CloneNewnet) != 0)
            {
                throw new ConntrackDumpException($"cannot enter network namespace {path}: {LibC.Describe(Marshal.GetLastPInvokeError())}");
            }

            try
            {
                return action();
            }
            finally
            {
                // A socket keeps the namespace it was made in; going back is hygiene (this thread ends here anyway).
                _ = LibC.SetNs(own, LibC.CloneNewnet);
            }
        }
        finally
        {
            _ = LibC.Close(target);
            if (own >= 0)
            {
                _ = LibC.Close(own);
            }
        }
    }

    private static NetlinkSocket Create(int receiveBuffer)
    {
        int fd = LibC.Socket(LibC.AfNetlink, LibC.SockRaw | LibC.SockCloexec, LibC.NetlinkNetfilter);
        if (fd < 0)
        {
            throw new ConntrackDumpException($"cannot open a NETLINK_NETFILTER socket: {LibC.Describe(Marshal.GetLastPInvokeError())}");
        }

        var socket = new NetlinkSocket(fd);
        try
        {
            socket.SetReceiveBuffer(receiveBuffer);
            var local = new LibC.SockaddrNl { Family = LibC.AfNetlink };
            if (LibC.Bind(fd, &local, (uint)sizeof(LibC.SockaddrNl)) != 0)
            {
                throw new ConntrackDumpException($"cannot bind the netlink socket: {LibC.Describe(Marshal.GetLastPInvokeError())}");
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>SO_RCVBUFFORCE passes net.core.rmem_max but needs CAP_NET_ADMIN; without it SO_RCVBUF, capped by it.</summary>
    private void SetReceiveBuffer(int bytes)
    {
        if (LibC.SetSockOpt(_fd, LibC.SolSocket, LibC.SoRcvbufforce, &bytes, sizeof(int)) != 0)
        {
            _ = LibC.SetSockOpt(_fd, LibC.SolSocket, LibC.SoRcvbuf, &bytes, sizeof(int));
        }
    }

    /// <summary>Joins a netlink multicast group (NETLINK_ADD_MEMBERSHIP): ctnetlink's event groups are
    /// <see cref="CtNetlink.GroupConntrackNew"/> and <see cref="CtNetlink.GroupConntrackDestroy"/>.</summary>
    public void Subscribe(int group)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        if (LibC.SetSockOpt(_fd, LibC.SolNetlink, LibC.NetlinkAddMembership, &group, sizeof(int)) != 0)
        {
            throw new ConntrackDumpException($"cannot join netlink group {group}: {LibC.Describe(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>Sends one request to the kernel.</summary>
    public void Send(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        var kernel = new LibC.SockaddrNl { Family = LibC.AfNetlink };
        fixed (byte* data = message)
        {
            while (true)
            {
                nint sent = LibC.SendTo(_fd, data, (nuint)message.Length, 0, &kernel, (uint)sizeof(LibC.SockaddrNl));
                if (sent == message.Length)
                {
                    return;
                }

                int errno = sent < 0 ? Marshal.GetLastPInvokeError() : 0;
                if (errno != LibC.Eintr)
                {
                    throw new ConntrackDumpException($"cannot send the netlink request: {(sent < 0 ? LibC.Describe(errno) : "short write")}");
                }
            }
        }
    }

    /// <summary>
    /// Receives one datagram into <paramref name="buffer"/>, waiting for it until <paramref name="cancellationToken"/>
    /// is cancelled (then <see cref="OperationCanceledException"/>, at most ~100 ms late). A datagram larger than the
    /// buffer, ENOBUFS (the kernel dropped messages) and any other error throw <see cref="ConntrackDumpException"/>.
    /// </summary>
    public int Receive(Span<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (TryReceive(buffer, out int received))
            {
                case ReceiveStatus.Datagram:
                    return received;
                case ReceiveStatus.Empty:
                    Wait();
                    break;
                default:
                    throw new ConntrackDumpException("the kernel dropped part of the dump (ENOBUFS: the socket's receive buffer overran)");
            }
        }
    }

    /// <summary>
    /// Takes one datagram if one is queued, without waiting: <see cref="ReceiveStatus.Empty"/> when none is,
    /// <see cref="ReceiveStatus.Overrun"/> when the kernel reports ENOBUFS (it dropped messages for this socket; the
    /// next call returns what is still queued). A datagram larger than the buffer and any other error throw
    /// <see cref="ConntrackDumpException"/>.
    /// </summary>
    public ReceiveStatus TryReceive(Span<byte> buffer, out int length)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        length = 0;
        fixed (byte* data = buffer)
        {
            while (true)
            {
                // MSG_TRUNC: the datagram's real length comes back even when it did not fit.
                nint received = LibC.Recv(_fd, data, (nuint)buffer.Length, LibC.MsgDontwait | LibC.MsgTrunc);
                if (received >= 0)
                {
                    length = received <= buffer.Length
                        ? (int)received
                        : throw new ConntrackDumpException($"a netlink datagram of {received} bytes did not fit the {buffer.Length}-byte receive buffer");
                    return ReceiveStatus.Datagram;
                }

                int errno = Marshal.GetLastPInvokeError();
                switch (errno)
                {
                    case LibC.Eintr:
                        continue;
                    case LibC.Eagain:
                        return ReceiveStatus.Empty;
                    case LibC.Enobufs:
                        return ReceiveStatus.Overrun;
                    default:
                        throw new ConntrackDumpException($"cannot receive from the netlink socket: {LibC.Describe(errno)}");
                }
            }
        }
    }

    private void Wait()
    {
        var poll = new LibC.PollFd { Fd = _fd, Events = LibC.PollIn };
        if (LibC.Poll(&poll, 1, PollSliceMilliseconds) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.Eintr)
            {
                throw new ConntrackDumpException($"cannot poll the netlink socket: {LibC.Describe(errno)}");
            }
        }
    }

    public void Dispose()
    {
        Close();
        GC.SuppressFinalize(this);
    }

    private void Close()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            _ = LibC.Close(fd);
        }
    }
}

/// <summary>What <see cref="NetlinkSocket.TryReceive"/> found.</summary>
public enum ReceiveStatus
{
    /// <summary>A datagram was received.</summary>
    Datagram,

    /// <summary>Nothing is queued (EAGAIN).</summary>
    Empty,

    /// <summary>ENOBUFS: the kernel dropped messages because the receive buffer was full.</summary>
    Overrun,
}
