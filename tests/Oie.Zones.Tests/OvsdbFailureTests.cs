using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Oie.Zones.Ovsdb;
using Oie.Zones.Tests.Infra;
using Oie.Testing;

namespace Oie.Zones.Tests;

/// <summary>
/// The OVSDB client against sockets that fail in every way an operator can meet: no socket, nobody listening, an
/// answer that is not JSON-RPC, a JSON-RPC error, no answer at all. Each is a <see cref="ZoneMapException"/> that says
/// what to do, and the next read against a good server works.
/// </summary>
public sealed class OvsdbFailureTests
{
    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    private static void AssertGood(ZoneMap map)
    {
        Assert.True(map.TryGetZone(FakeOvsdbServer.OvnPort, out var zone));
        Assert.Equal(17, zone);
        Assert.True(map.IsKnownZone(18));
    }

    [Fact]
    public void A_good_answer_is_read()
    {
        using var server = new FakeOvsdbServer(FakeOvsdbServer.AnswerGood);
        using var source = ZoneMapSources.Ovn(server.Db);
        AssertGood(source.Read(Deadline()));
        AssertGood(source.Read(Deadline()));
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public void A_missing_socket_says_so_and_names_the_flag()
    {
        using var dir = new TempDir();
        using var source = ZoneMapSources.Ovn(new OvsdbEndpoint(dir.File("db.sock")));
        var error = Assert.Throws<ZoneMapException>(() => source.Read(Deadline()));
        Assert.Equal($"cannot connect to OVSDB at unix:{dir.File("db.sock")}: no socket {dir.File("db.sock")} " +
                     "(is ovsdb-server running? -ovs.db names its socket)", error.Message);
    }

    [Fact]
    public void A_missing_directory_says_open_vswitch_may_not_be_there()
    {
        using var source = ZoneMapSources.Ovs(new OvsdbEndpoint("/nonexistent-oie/openvswitch/db.sock"));
        var error = Assert.Throws<ZoneMapException>(() => source.Read(Deadline()));
        Assert.Contains("/nonexistent-oie/openvswitch does not exist (is Open vSwitch installed and running on this node? -ovs.db", error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_socket_nobody_listens_on_is_refused()
    {
        using var dir = new TempDir();
        var path = dir.File("db.sock");
        // Bound but not listening: connecting is refused, as on the socket file a killed ovsdb-server leaves behind.
        using var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        stale.Bind(new UnixDomainSocketEndPoint(path));
        using var source = ZoneMapSources.Ovn(new OvsdbEndpoint(path));
        var error = Assert.Throws<ZoneMapException>(() => source.Read(Deadline()));
        Assert.Contains($"nothing listens on {path} (ovsdb-server is not running, or left a stale socket; -ovs.db", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_drops_the_connection_and_the_next_read_reconnects()
    {
        using var server = new FakeOvsdbServer(FakeOvsdbServer.AnswerGarbage);
        using var source = ZoneMapSources.Ovn(server.Db);
        var error = Assert.Throws<ZoneMapException>(() => source.Read(Deadline()));
        Assert.Contains($"OVSDB at {server.Db} sent an answer this exporter cannot use: not JSON", error.Message, StringComparison.Ordinal);
        Assert.Contains("-ovs.db must name the node's Open_vSwitch database socket", error.Message, StringComparison.Ordinal);

        server.Behaviour = FakeOvsdbServer.AnswerGood;
        AssertGood(source.Read(Deadline()));
        Assert.Equal(2, server.Accepted);
    }

    [Theory]
    [InlineData("""{"id":ID,"result":null,"error":"unknown database","details":"Open_vSwitch is not a valid database"}""", "unknown database")]
    [InlineData("""{"id":ID,"result":[{"rows":[]},{"error":"unknown table","details":"No table named Bridge."}],"error":null}""",
        "unknown table: No table named Bridge.")]
    public void A_json_rpc_error_is_reported_and_the_next_read_reconnects(string answer, string reason)
    {
        using var server = new FakeOvsdbServer(async connection =>
        {
            var id = await connection.ReadTransact();
            await connection.Send(answer.Replace("ID", id.ToString(), StringComparison.Ordinal));
            await connection.ReadMessage();
        });
        using var source = ZoneMapSources.Ovn(server.Db);
        var error = Assert.Throws<ZoneMapException>(() => source.Read(Deadline()));
        Assert.Contains($"OVSDB refused the query: {reason}", error.Message, StringComparison.Ordinal);
        Assert.Contains("-ovs.db must name the Open_vSwitch database", error.Message, StringComparison.Ordinal);

        server.Behaviour = FakeOvsdbServer.AnswerGood;
        AssertGood(source.Read(Deadline()));
        Assert.Equal(2, server.Accepted);
    }

    [Fact]
    public void No_answer_ends_at_the_deadline_and_the_next_read_reconnects()
    {
        using var server = new FakeOvsdbServer(FakeOvsdbServer.AnswerNothing);
        using var source = ZoneMapSources.Ovn(server.Db);
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<ZoneMapException>(() => source.Read(new CancellationTokenSource(TimeSpan.FromMilliseconds(300)).Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains($"OVSDB at {server.Db} did not answer before the deadline", error.Message, StringComparison.Ordinal);

        server.Behaviour = FakeOvsdbServer.AnswerGood;
        AssertGood(source.Read(Deadline()));
        Assert.Equal(2, server.Accepted);
    }

    [Fact]
    public void An_echo_request_is_answered_and_notifications_are_ignored()
    {
        string? reply = null;
        using var server = new FakeOvsdbServer(async connection =>
        {
            var id = await connection.ReadTransact();
            await connection.Send("""{"id":null,"method":"update","params":[null,{"Bridge":{}}]}""");
            await connection.Send("""{"id":"echo","method":"echo","params":["ping",{"n":1}]}""");
            reply = await connection.ReadMessage(); // the answer comes only after the echo was answered
            await connection.Send($$"""{"id":{{id}},"result":{{FakeOvsdbServer.OvnResult}},"error":null}""");
            await connection.ReadMessage();
        });
        using var source = ZoneMapSources.Ovn(server.Db);
        AssertGood(source.Read(Deadline()));

        Assert.Equal("""{"id":"echo","result":["ping",{"n":1}],"error":null}""", reply);
    }

    [Fact]
    public async Task An_echo_between_reads_is_answered_on_the_next_read()
    {
        var reply = new TaskCompletionSource<string?>();
        using var server = new FakeOvsdbServer(async connection =>
        {
            var id = await connection.ReadTransact();
            await connection.Send($$"""{"id":{{id}},"result":{{FakeOvsdbServer.OvnResult}},"error":null}""");
            await connection.Send("""{"id":"echo","method":"echo","params":[]}"""); // the inactivity probe, while the client is idle
            id = await connection.ReadTransact();
            await connection.Send($$"""{"id":{{id}},"result":{{FakeOvsdbServer.OvnResult}},"error":null}""");
            reply.SetResult(await connection.ReadMessage());
            await connection.ReadMessage();
        });
        using var source = ZoneMapSources.Ovn(server.Db);
        AssertGood(source.Read(Deadline()));
        AssertGood(source.Read(Deadline()));

        Assert.Equal("""{"id":"echo","result":[],"error":null}""", await reply.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public void A_kept_connection_closed_by_the_server_is_replaced_within_the_same_read()
    {
        using var server = new FakeOvsdbServer(async connection =>
        {
            var id = await connection.ReadTransact();
            await connection.Send($$"""{"id":{{id}},"result":{{FakeOvsdbServer.OvnResult}},"error":null}""");
            connection.Close(); // as ovsdb-server restarting between two cycles
        });
        using var source = ZoneMapSources.Ovn(server.Db);
        AssertGood(source.Read(Deadline()));
        Poll.Until(() => server.Accepted == 1, "the first connection");
        AssertGood(source.Read(Deadline()));
        Assert.Equal(2, server.Accepted);
    }

    [Fact]
    public void An_answer_trickling_in_byte_by_byte_is_read()
    {
        using var server = new FakeOvsdbServer(async connection =>
        {
            var id = await connection.ReadTransact();
            var bytes = System.Text.Encoding.UTF8.GetBytes($$"""{"id":{{id}},"result":{{FakeOvsdbServer.OvnResult}},"error":null}""");
            for (var i = 0; i < bytes.Length; i++)
                await connection.SendBytes(bytes.AsMemory(i, 1));
            await connection.ReadMessage();
        });
        using var source = ZoneMapSources.Ovn(server.Db);
        AssertGood(source.Read(Deadline()));
    }

    [Fact]
    public void An_answer_over_the_size_limit_is_refused()
    {
        using var server = new FakeOvsdbServer(async connection =>
        {
            var id = await connection.ReadTransact();
            await connection.Send($$"""{"id":{{id}},"result":["{{new string('x', 10_000)}}"],"error":null}""");
            await connection.ReadMessage();
        });
        using var client = new OvsdbClient(server.Db, maxMessageBytes: 4096);
        var error = Assert.Throws<ZoneMapException>(() => client.Transact(OvnZones.WriteOperations, OvnZones.Decode, Deadline()));
        Assert.Contains("a message is larger than 4 KiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_request_is_one_transact_selecting_only_the_needed_columns()
    {
        string? request = null;
        using var server = new FakeOvsdbServer(async connection =>
        {
            request = await connection.ReadMessage();
            using var document = JsonDocument.Parse(request!);
            var id = document.RootElement.GetProperty("id").GetInt64();
            await connection.Send($$"""{"id":{{id}},"result":{{FakeOvsdbServer.OvnResult}},"error":null}""");
            await connection.ReadMessage();
        });
        using var source = ZoneMapSources.Ovn(server.Db);
        AssertGood(source.Read(Deadline()));

        Assert.Equal("""
            {"id":1,"method":"transact","params":["Open_vSwitch",{"op":"select","table":"Open_vSwitch","where":[],"columns":["external_ids"]},{"op":"select","table":"Bridge","where":[],"columns":["name","external_ids"]}]}
            """, request);
    }

    [Fact]
    public void An_ovn_source_on_a_database_without_the_integration_bridge_says_what_to_check()
    {
        using var server = new FakeOvsdbServer(async connection =>
        {
            while (await connection.ReadTransact() is { } id)
                await connection.Send($$"""{"id":{{id}},"result":[{"rows":[{"external_ids":["map",[]]}]},{"rows":[]}],"error":null}""");
        });
        using var source = ZoneMapSources.Ovn(server.Db);
        var error = Assert.Throws<ZoneMapException>(() => source.Read(Deadline()));
        Assert.Contains("has no integration bridge br-int (ovn-controller creates it", error.Message, StringComparison.Ordinal);
        Assert.Contains("-conntrack.zones", error.Message, StringComparison.Ordinal);
    }
}
