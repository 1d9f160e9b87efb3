using System.Text;
using System.Text.Json;
using CsCheck;
using Oie.Tests;
using Oie.Zones.Iptables;
using Oie.Zones.Ovsdb;
using Oie.Zones.Tests.Infra;

namespace Oie.Zones.Tests;

/// <summary>
/// The parsers on thousands of mutated inputs from a fixed seed: the iptables-save parser never throws and only maps
/// well-formed device prefixes; the OVSDB framing and decoding only ever fail with their format error; and through a
/// real socket, a source only ever throws <see cref="ZoneMapException"/>.
/// </summary>
public sealed class FuzzTests
{
    private static readonly string[] IptablesTokens =
    [
        "-A ", "-I ", "-i ", "! ", "--physdev-in ", "--in-interface ", "-m physdev ", "-m comment --comment ", "\"Set zone for ",
        "\"", "\\\"", "\\", "-j CT ", "-j ", "CT ", "--zone ", "--zone-orig ", "--notrack", "qvb", "tap", "brq", "qvo",
        "3a5d2c1e-4f", "E804433B-61", "4097", "0", "65535", "65536", "-1", "99999999999999999999", "\n", "\r\n", " ", "\t", "COMMIT\n",
    ];

    private static readonly string[] JsonTokens =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "null", "true", "1", "-1", "1e400", "\"map\"", "\"set\"", "\"uuid\"",
        "[\"uuid\",\"11111111-0000-4000-8000-000000000001\"]", "[\"map\",[]]", "[\"set\",[]]", "\"ct-zone-\"", "\"65536\"", "\"0\"",
        "\"rows\"", "\"error\"", "\"result\"", "\"id\"", "\"method\"", "\"echo\"", "\"external_ids\"", "\"other_config\"", "\"tag\"",
        "\"iface-id\"", "\"interfaces\"", "\"name\"", "\"br-int\"", "\"ovn-bridge\"", "\"_uuid\"", "\"aaaaaaaa-0000-4000-8000-00000000000a\"",
    ];

    private const string OvsResult = """
        [{"rows":[{"_uuid":["uuid","11111111-0000-4000-8000-000000000001"],"external_ids":["map",[["iface-id","aaaaaaaa-0000-4000-8000-00000000000a"]]]},
                  {"_uuid":["uuid","11111111-0000-4000-8000-000000000002"],"external_ids":["map",[["iface-id","bbbbbbbb-0000-4000-8000-00000000000b"]]]}]},
         {"rows":[{"interfaces":["uuid","11111111-0000-4000-8000-000000000001"],"other_config":["map",[["tag","1"]]]},
                  {"interfaces":["set",[["uuid","11111111-0000-4000-8000-000000000002"]]],"other_config":["map",[["tag","2"],["net_uuid","n"]]]}]}]
        """;

    private static readonly string OvnResult = $$"""
        [{"rows":[{"external_ids":["map",[["ovn-remote","unix:/x"],["system-id","hv1"],["ovn-bridge","br-int"]]]}]},
         {"rows":[{"name":"br-int","external_ids":["map",[["ct-zone-aaaaaaaa-0000-4000-8000-00000000000a","2"],
           ["ct-zone-705dd6c7-d2f5-4309-bb8b-c17f93ac041c_dnat","8"],["ct-zone-lrp-x","7"],["ovn-nb-cfg","3"]]]}]}]
        """;

    [Fact]
    public void The_iptables_parser_never_throws_and_maps_only_device_prefixes()
    {
        long ports = 0;
        Gen.Int.SampleFixed(seed =>
        {
            var random = new Random(seed);
            var input = random.Next(5) == 0 ? TextMutations.Noise(random, IptablesTokens) : TextMutations.Mutate(IptablesRawTableTests.Listing, random, IptablesTokens);
            var map = IptablesRawTable.Parse(input, out var commented);

            Assert.Equal(ZoneBackend.Iptables, map.Backend);
            Assert.True(commented <= map.Ports.Count + input.Split('\n').Length);
            foreach (var (key, zone) in map.Ports)
            {
                Assert.True(key.Length == 11 && key[8] == '-' && key == key.ToLowerInvariant() && key.Where((c, i) => i != 8).All(char.IsAsciiHexDigit), key);
                Assert.True(map.IsKnownZone(zone));
                Assert.Contains($"--zone {zone}", input, StringComparison.Ordinal);
                Assert.Contains(key, input.ToLowerInvariant(), StringComparison.Ordinal);
                ports++;
            }
        }, iter: 20_000);
        Assert.True(ports > 20_000, $"only {ports} ports were read: the mutations hardly exercise the parser");
    }

    [Fact]
    public void The_ovsdb_decoders_only_fail_with_their_format_error()
    {
        int decoded = 0, refused = 0, notJson = 0;
        Gen.Int.SampleFixed(seed =>
        {
            var random = new Random(seed);
            var ovn = random.Next(2) == 0;
            var seedJson = ovn ? OvnResult : OvsResult;
            var input = random.Next(2) == 0 ? JsonTreeMutations.Mutate(seedJson, random) : TextMutations.Mutate(seedJson, random, JsonTokens);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(Encoding.UTF8.GetBytes(input)); // lone surrogates become U+FFFD, as on a socket
            }
            catch (JsonException)
            {
                notJson++;
                return;
            }
            using (document)
            {
                try
                {
                    var map = ovn ? OvnZones.Decode(document.RootElement).Map : OvsZones.Decode(document.RootElement);
                    Assert.All(map.Ports, p => Assert.NotEqual(0, p.Value));
                    if (ovn)
                        Assert.All(map.Ports, p => Assert.True(Guid.TryParseExact(p.Key, "D", out _), p.Key));
                    decoded++;
                }
                catch (OvsdbFormatException ex)
                {
                    Assert.NotEmpty(ex.Message);
                    refused++;
                }
            }
        }, iter: 10_000);
        Assert.True(decoded > 500 && refused > 500 && notJson > 500, $"decoded {decoded}, refused {refused}, not JSON {notJson}");
    }

    [Fact]
    public void The_framer_only_fails_with_its_format_error()
    {
        var stream = $$"""{"id":"echo","method":"echo","params":[]}{"id":1,"result":{{OvnResult}},"error":null}""";
        int messages = 0, refused = 0;
        Gen.Int.SampleFixed(seed =>
        {
            var random = new Random(seed);
            var bytes = Encoding.UTF8.GetBytes(TextMutations.Mutate(stream, random, JsonTokens));
            var framer = new OvsdbMessageFramer(64 * 1024);
            var chunk = random.Next(1, 200);
            try
            {
                for (var at = 0; at < bytes.Length; at += chunk)
                {
                    var piece = bytes.AsSpan(at, Math.Min(chunk, bytes.Length - at));
                    piece.CopyTo(framer.FreeSpace().Span);
                    framer.Advance(piece.Length);
                    while (framer.TryTake(out var message))
                    {
                        using var document = JsonDocument.Parse(message); // what the framer cut is one whole JSON object
                        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
                        messages++;
                    }
                }
            }
            catch (OvsdbFormatException)
            {
                refused++;
            }
        }, iter: 10_000);
        Assert.True(messages > 5000 && refused > 1000, $"messages {messages}, refused {refused}");
    }

    [Fact]
    public void A_source_reading_mutated_answers_from_a_socket_only_throws_zone_map_exceptions()
    {
        string answer = "";
        using var server = new FakeOvsdbServer(async connection =>
        {
            if (await connection.ReadTransact() is { } id)
                await connection.Send(answer.Replace("\"ID\"", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
            connection.Close();
        });
        using var ovn = ZoneMapSources.Ovn(server.Db);
        using var ovs = ZoneMapSources.Ovs(server.Db);
        int read = 0, failed = 0;
        Gen.Int.SampleFixed(seed =>
        {
            var random = new Random(seed);
            var useOvn = random.Next(2) == 0;
            var good = $$"""{"id":"ID","result":{{(useOvn ? OvnResult : OvsResult)}},"error":null}""";
            answer = random.Next(2) == 0 ? JsonTreeMutations.Mutate(good, random) : TextMutations.Mutate(good, random, JsonTokens);
            try
            {
                (useOvn ? ovn : ovs).Read(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
                read++;
            }
            catch (ZoneMapException ex)
            {
                Assert.NotEmpty(ex.Message);
                failed++;
            }
        }, iter: 2_000);
        Assert.True(read > 100 && failed > 100, $"read {read}, failed {failed}");
    }
}
