using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Oie.Testing;

namespace Oie.Zones.Tests.Infra;

/// <summary>
/// A unix-socket server standing in for ovsdb-server, answering each connection as <see cref="Behaviour"/> says at the
/// time it connects: the good answer, garbage, a JSON-RPC error, or nothing at all. It reads the client's requests
/// itself (by counting braces outside strings), independently of the client's own framing.
/// </summary>
internal sealed class FakeOvsdbServer : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Socket> _connections = [];
    private int _accepted;

    public FakeOvsdbServer(Func<Connection, Task> behaviour)
    {
        Behaviour = behaviour;
        Db = new OvsdbEndpoint(_dir.File("db.sock"));
        _listener.Bind(new UnixDomainSocketEndPoint(Db.SocketPath));
        _listener.Listen();
        _accepting = Task.Run(AcceptAsync);
    }

    public OvsdbEndpoint Db { get; }

    public volatile Func<Connection, Task> Behaviour;

    public int Accepted => Volatile.Read(ref _accepted);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            lock (_connections)
                _connections.Add(socket);
            var behaviour = Behaviour;
            _ = Task.Run(async () =>
            {
                try
                {
                    await behaviour(new Connection(socket, _stop.Token));
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
                {
                }
            });
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _accepting.Wait(TimeSpan.FromSeconds(10));
        lock (_connections)
        {
            foreach (var socket in _connections)
                socket.Dispose();
        }
        _dir.Dispose();
    }

    /// <summary>The good answer to an OVN query: this chassis has ovn-remote and one port in zone 17 on br-int.</summary>
    public const string OvnPort = "0f0e0d0c-0b0a-4909-8807-060504030201";

    public static string OvnResult => $$"""
        [{"rows":[{"external_ids":["map",[["ovn-remote","unix:/x/sb.sock"],["system-id","hv1"]]]}]},
         {"rows":[{"name":"br-int","external_ids":["map",[["ct-zone-{{OvnPort}}","17"],["ct-zone-r1_dnat","18"]]]}]}]
        """;

    public static async Task AnswerGood(Connection connection)
    {
        while (await connection.ReadTransact() is { } id)
            await connection.Send($$"""{"id":{{id}},"result":{{OvnResult}},"error":null}""");
    }

    public static async Task AnswerGarbage(Connection connection)
    {
        await connection.ReadTransact();
        await connection.Send("HTTP/1.1 400 Bad Request\r\n\r\n");
    }

    public static async Task AnswerNothing(Connection connection)
    {
        // Reads on without ever answering, until the client gives up and closes the connection.
        while (await connection.ReadMessage() is not null)
        {
        }
    }

    public sealed class Connection(Socket socket, CancellationToken stopping)
    {
        private readonly List<byte> _pending = [];

        public CancellationToken Stopping => stopping;

        /// <summary>The id of the client's next transact request (other messages are skipped), or null when it closed
        /// the connection.</summary>
        public async Task<long?> ReadTransact()
        {
            while (await ReadMessage() is { } message)
            {
                using var document = JsonDocument.Parse(message);
                if (document.RootElement.TryGetProperty("method", out var method) && method.GetString() == "transact")
                    return document.RootElement.GetProperty("id").GetInt64();
            }
            return null;
        }

        public async Task<string?> ReadMessage()
        {
            var buffer = new byte[4096];
            while (true)
            {
                if (TakeMessage() is { } message)
                    return message;
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, stopping);
                if (read == 0)
                    return null;
                _pending.AddRange(buffer.AsSpan(0, read));
            }
        }

        public async Task Send(string text) => await SendBytes(Encoding.UTF8.GetBytes(text));

        public async Task SendBytes(ReadOnlyMemory<byte> bytes)
        {
            while (!bytes.IsEmpty)
                bytes = bytes[await socket.SendAsync(bytes, SocketFlags.None, stopping)..];
        }

        public void Close() => socket.Dispose();

        private string? TakeMessage()
        {
            int depth = 0;
            var inString = false;
            for (var i = 0; i < _pending.Count; i++)
            {
                var b = _pending[i];
                if (inString)
                {
                    if (b == '\\')
                        i++;
                    else if (b == '"')
                        inString = false;
                    continue;
                }
                if (b == '"')
                {
                    inString = true;
                }
                else if (b == '{')
                {
                    depth++;
                }
                else if (b == '}' && --depth == 0)
                {
                    var message = Encoding.UTF8.GetString([.. _pending.GetRange(0, i + 1)]);
                    _pending.RemoveRange(0, i + 1);
                    return message;
                }
            }
            return null;
        }
    }
}
