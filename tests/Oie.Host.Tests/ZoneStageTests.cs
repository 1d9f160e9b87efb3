using System.Text;
using Microsoft.Extensions.Logging;
using Oie.Host.Collection;
using Oie.Host.Exposition;
using Oie.Host.Tests.Logging;
using Oie.Zones;

namespace Oie.Host.Tests;

/// <summary>A zone map that cannot be read: addresses alone that cycle, counted every time, logged once per message.</summary>
public sealed class ZoneStageTests
{
    private readonly Scripted _source = new();
    private readonly SelfMetrics _self = new([]);
    private readonly LogRecorder _log = new();
    private readonly ZoneStage _stage;

    public ZoneStageTests() =>
        _stage = new ZoneStage(_source, TimeSpan.FromSeconds(2), _self, new LoggerFactory([_log]).CreateLogger<ZoneStage>());

    [Fact]
    public void A_failing_map_means_addresses_alone_is_counted_each_cycle_and_logged_once_per_message()
    {
        _source.Next = () => throw new ZoneMapException("cannot connect to unix:/run/openvswitch/db.sock: No such file or directory");
        Assert.Null(_stage.Read());
        Assert.Null(_stage.Read());
        _source.Next = () => throw new ZoneMapException("unix:/run/openvswitch/db.sock answered something that is not OVSDB JSON-RPC");
        Assert.Null(_stage.Read());

        Assert.Contains("oie_exporter_collection_errors_total{source=\"zones\"} 3", Metrics());
        Assert.Contains("oie_exporter_conntrack_zone_ports{backend=\"ovn\"} 0", Metrics());
        var errors = _log.Events.Where(e => e.Level == LogLevel.Error).Select(e => e.Message).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains("attributed by address alone until it can: cannot connect to unix:/run/openvswitch/db.sock", errors[0], StringComparison.Ordinal);

        _source.Next = () => ZoneMap.Create(ZoneBackend.Ovn, [new("aaaaaaaa-0000-4000-8000-00000000000a", 5)], [7]);
        var zones = _stage.Read();
        Assert.NotNull(zones);
        Assert.True(zones.TryGetZone("AAAAAAAA-0000-4000-8000-00000000000A", out var zone));
        Assert.Equal(5, zone);
        Assert.True(zones.IsKnownZone(7));
        Assert.False(zones.IsKnownZone(8));
        Assert.Contains("oie_exporter_conntrack_zone_ports{backend=\"ovn\"} 1", Metrics());
        Assert.Contains(_log.Events, e => e.Level == LogLevel.Information && e.Message.Contains("can be read again", StringComparison.Ordinal));
    }

    [Fact]
    public void No_backend_on_the_node_is_no_zones_and_no_error()
    {
        _source.Next = () => ZoneMap.Empty;
        Assert.Null(_stage.Read());
        Assert.Contains("oie_exporter_collection_errors_total{source=\"zones\"} 0", Metrics());
        Assert.DoesNotContain(_log.Events, e => e.Level >= LogLevel.Warning);
    }

    private string Metrics()
    {
        using var output = new MemoryStream();
        _self.WriteTo(output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private sealed class Scripted : IZoneMapSource
    {
        public Func<ZoneMap> Next { get; set; } = () => ZoneMap.Empty;

        public string Description => "OVN (ct-zone-* in br-int external_ids over unix:/run/openvswitch/db.sock)";

        public ZoneBackend Backend => ZoneBackend.Ovn;

        public ZoneMap Read(CancellationToken deadline) => Next();

        public void Dispose()
        {
        }
    }
}
