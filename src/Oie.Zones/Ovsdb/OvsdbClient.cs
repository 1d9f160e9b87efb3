using System.Buffers;
using System.Net.Sockets;
using System.Text.Json;

namespace Oie.Zones.Ovsdb;

/// <summary>
/// A minimal RFC 7047 JSON-RPC client on an OVSDB unix socket: one <c>transact</c> at a time, on a connection kept open
/// between calls and dropped after any failure (the next call reconnects). Answers the server's <c>echo</c> requests
/// (ovsdb-server's inactivity probe) and ignores notifications. Never blocks past the caller's deadline; every failure
/// is a <see cref="ZoneMapException"/>.
/// </summary>
internal sealed class OvsdbClient(OvsdbEndpoint endpoint, int maxMessageBytes = OvsdbClient.DefaultMaxMessageBytes) : IDisposable
{
    public const int DefaultMaxMessageBytes = 16 * 1024 * 1024;
    private const string Database = "Open_vSwitch";

    private readonly OvsdbMessageFramer _framer = new(maxMessageBytes);
    private Socket? _socket;
    private long _lastId;

    /// <summary>How many connections were opened (for tests).</summary>
    internal int Connections { get; private set; }

    /// <summary>
    /// Sends <c>["Open_vSwitch", operations…]</c> and hands the answer's <c>result</c> array (every operation
    /// succeeded) to <paramref name="read"/>, which may throw <see cref="OvsdbFormatException"/> on an unexpected shape.
    /// </summary>
    public T Transact<T>(Action<Utf8JsonWriter> writeOperations, Func<JsonElement, T> read, CancellationToken deadline)
    {
        for (var attempt = 0; ; attempt++)
        {
            var reused = _socket is not null;
            try
            {
                var socket = _socket ??= Connect(deadline);
                return Exchange(socket, writeOperations, read, deadline);
            }
            catch (ConnectionLostException) when (reused && attempt == 0)
            {
                // The kept connection went stale (ovsdb-server restarted, or closed it idle): once more on a new one.
                Drop();
            }
            catch (ConnectionLostException ex)
            {
                Drop();
                throw new ZoneMapException($"OVSDB at {endpoint} {ex.Message} (is ovsdb-server healthy? see its log)", ex);
            }
            catch (OvsdbFormatException ex)
            {
                Drop();
                throw new ZoneMapException(
                    $"OVSDB at {endpoint} sent an answer this exporter cannot use: {ex.Message} (-{ZoneFlagNames.OvsDb} must name " +
                    "the node's Open_vSwitch database socket, the one ovs-vsctl uses)", ex);
            }
            catch (OperationCanceledException ex) when (deadline.IsCancellationRequested)
            {
                Drop();
                throw new ZoneMapException(
                    $"OVSDB at {endpoint} did not answer before the deadline (is ovsdb-server overloaded or stuck? " +
                    "the zones are read again next cycle)", ex);
            }
            catch
            {
                Drop();
                throw;
            }
        }
    }

    private Socket Connect(CancellationToken deadline)
    {
        deadline.ThrowIfCancellationRequested();
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.ConnectAsync(new UnixDomainSocketEndPoint(endpoint.SocketPath), deadline).AsTask().GetAwaiter().GetResult();
            Connections++;
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ZoneMapException($"cannot connect to OVSDB at {endpoint}: {Explain(ex)}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private string Explain(SocketException ex)
    {
        var path = endpoint.SocketPath;
        if (!File.Exists(path) && !Directory.Exists(Path.GetDirectoryName(path)))
            return $"{Path.GetDirectoryName(path)} does not exist (is Open vSwitch installed and running on this node? -{ZoneFlagNames.OvsDb} names the socket)";
        if (!File.Exists(path))
            return $"no socket {path} (is ovsdb-server running? -{ZoneFlagNames.OvsDb} names its socket)";
        return ex.SocketErrorCode switch
        {
            SocketError.ConnectionRefused =>
                $"nothing listens on {path} (ovsdb-server is not running, or left a stale socket; -{ZoneFlagNames.OvsDb} names the socket)",
            SocketError.AccessDenied =>
                $"permission denied on {path} (run the exporter as root or as a user the socket's mode lets in)",
            _ => $"{ex.Message} ({ex.SocketErrorCode})",
        };
    }

    private T Exchange<T>(Socket socket, Action<Utf8JsonWriter> writeOperations, Func<JsonElement, T> read, CancellationToken deadline)
    {
        var id = ++_lastId;
        Send(socket, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", id);
            writer.WriteString("method", "transact");
            writer.WriteStartArray("params");
            writer.WriteStringValue(Database);
            writeOperations(writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }, deadline);
        while (true)
        {
            while (_framer.TryTake(out var message))
            {
                using var document = Parse(message);
                var root = document.RootElement;
                if (root.TryGetProperty("method", out var method))
                {
                    if (method.ValueKind == JsonValueKind.String && method.ValueEquals("echo"))
                        Send(socket, writer => WriteEchoReply(writer, root), deadline);
                    continue; // notifications (update, locked, …) are not for this client
                }
                if (root.TryGetProperty("id", out var answerId) && answerId.ValueKind == JsonValueKind.Number &&
                    answerId.TryGetInt64(out var number) && number == id)
                {
                    return Answer(root, read);
                }
            }
            var received = Receive(socket, _framer.FreeSpace(), deadline);
            if (received == 0)
                throw new ConnectionLostException("closed the connection before answering");
            _framer.Advance(received);
        }
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> message)
    {
        try
        {
            return JsonDocument.Parse(message);
        }
        catch (JsonException ex)
        {
            throw new OvsdbFormatException($"not JSON: {ex.Message}", ex);
        }
    }

    /// <summary>The result of a transact answer: RFC 7047 §4.1.3 (the request failed: <c>error</c> is not null) and
    /// §5.2 (an operation failed: its result is an object with <c>error</c>, later ones may be missing).</summary>
    private static T Answer<T>(JsonElement answer, Func<JsonElement, T> read)
    {
        if (answer.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            throw new ZoneMapException($"OVSDB refused the query: {Describe(error)} (-{ZoneFlagNames.OvsDb} must name the " +
                                       "Open_vSwitch database's socket, not an OVN northbound or southbound one)");
        }

        if (!answer.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Array)
            throw new OvsdbFormatException("the transact answer has no result array");
        foreach (var operation in result.EnumerateArray())
        {
            if (operation.ValueKind == JsonValueKind.Object && operation.TryGetProperty("error", out var failed) &&
                failed.ValueKind != JsonValueKind.Null)
            {
                throw new ZoneMapException($"OVSDB refused the query: {Describe(operation)} (-{ZoneFlagNames.OvsDb} must name " +
                                           "the Open_vSwitch database's socket)");
            }
        }
        try
        {
            return read(result);
        }
        catch (InvalidOperationException ex)
        {
            throw new OvsdbFormatException(ex.Message, ex);
        }
    }

    private static string Describe(JsonElement error)
    {
        var text = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("error", out var inner) ? inner : error;
        var details = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.String
            ? ": " + d.GetString() : "";
        var described = (text.ValueKind == JsonValueKind.String ? text.GetString()! : text.GetRawText()) + details;
        return described.Length > 300 ? described[..300] + "…" : described;
    }

    /// <summary>RFC 7047 §4.1.11: the reply to an echo carries the request's id and its params as the result.</summary>
    private static void WriteEchoReply(Utf8JsonWriter writer, JsonElement request)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("id");
        WriteOr(writer, request, "id", static w => w.WriteNullValue());
        writer.WritePropertyName("result");
        WriteOr(writer, request, "params", static w =>
        {
            w.WriteStartArray();
            w.WriteEndArray();
        });
        writer.WriteNull("error");
        writer.WriteEndObject();
    }

    private static void WriteOr(Utf8JsonWriter writer, JsonElement request, string property, Action<Utf8JsonWriter> otherwise)
    {
        if (request.TryGetProperty(property, out var value))
            value.WriteTo(writer);
        else
            otherwise(writer);
    }

    private static void Send(Socket socket, Action<Utf8JsonWriter> write, CancellationToken deadline)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        var bytes = buffer.WrittenMemory;
        try
        {
            while (!bytes.IsEmpty)
            {
                var sent = socket.SendAsync(bytes, SocketFlags.None, deadline).AsTask().GetAwaiter().GetResult();
                bytes = bytes[sent..];
            }
        }
        catch (SocketException ex)
        {
            throw new ConnectionLostException($"dropped the connection: {ex.Message}", ex);
        }
    }

    private static int Receive(Socket socket, Memory<byte> buffer, CancellationToken deadline)
    {
        try
        {
            return socket.ReceiveAsync(buffer, SocketFlags.None, deadline).AsTask().GetAwaiter().GetResult();
        }
        catch (SocketException ex)
        {
            throw new ConnectionLostException($"dropped the connection: {ex.Message}", ex);
        }
    }

    private void Drop()
    {
        _socket?.Dispose();
        _socket = null;
        _framer.Reset();
    }

    public void Dispose() => Drop();

    private sealed class ConnectionLostException(string message, Exception? inner = null) : Exception(message, inner);
}
