using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Oie.Host.Web;

/// <summary>
/// Ahead of TLS on a listener: a connection whose first byte is an ASCII letter (an HTTP method) rather than a TLS
/// handshake record gets Go's answer, 400 "Client sent an HTTP request to an HTTPS server.", and a warning line (throttled
/// per address), instead of a handshake failure only logged at debug.
/// </summary>
internal static partial class PlainHttpOnTlsPort
{
    /// <summary>Kestrel's default TLS handshake timeout.</summary>
    internal static readonly TimeSpan FirstByteTimeout = TimeSpan.FromSeconds(10);

    private static readonly byte[] Answer = Encoding.ASCII.GetBytes(
        "HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n" +
        "Client sent an HTTP request to an HTTPS server.\n");

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(Func<ILogger> logger) => next => async connection =>
    {
        var input = connection.Transport.Input;
        ReadResult read;
        // The TLS handshake's own timeout starts after this middleware: a client that sends nothing is dropped here.
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            timeout.CancelAfter(FirstByteTimeout);
            try
            {
                read = await input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                connection.Abort();
                return;
            }
        }
        var buffer = read.Buffer;
        var first = buffer.IsEmpty ? (byte)0 : buffer.FirstSpan[0];
        // Examined nothing: TLS reads the same bytes.
        input.AdvanceTo(buffer.Start, buffer.Start);
        if (first is < (byte)'A' or > (byte)'Z')
        {
            await next(connection);
            return;
        }
        LogPlainHttp(logger(), connection.LocalEndPoint?.ToString() ?? "?", connection.RemoteEndPoint is System.Net.IPEndPoint remote ? remote.Address.ToString() : "unknown");
        await connection.Transport.Output.WriteAsync(Answer, connection.ConnectionClosed);
        await connection.Transport.Output.CompleteAsync();
    };

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "plain HTTP request on the TLS listener {Listener} from {Remote}: answered 400; the client must use https://")]
    private static partial void LogPlainHttp(ILogger logger, string listener, string remote);
}
