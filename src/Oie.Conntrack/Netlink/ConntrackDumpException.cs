namespace Oie.Conntrack.Netlink;

/// <summary>
/// The one error a conntrack dump reports: the socket could not be opened or used, the kernel answered with an error or
/// an overrun (ENOBUFS), or a message or datagram was cut short. The dump is rejected as a whole: a partial table must
/// not look like a quiet one.
/// </summary>
public sealed class ConntrackDumpException : Exception
{
    public ConntrackDumpException()
    {
    }

    public ConntrackDumpException(string message)
        : base(message)
    {
    }

    public ConntrackDumpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
