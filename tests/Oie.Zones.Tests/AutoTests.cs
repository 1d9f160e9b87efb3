using Microsoft.Extensions.Time.Testing;
using Oie.Zones.Tests.Infra;
using Oie.Testing;

namespace Oie.Zones.Tests;

/// <summary>The auto source: probes until a backend is found, at most once per reprobe interval, then sticks to it.</summary>
public sealed class AutoTests
{
    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    [SkippableFact]
    public void Settles_on_iptables_when_there_is_no_ovsdb_but_neutron_raw_rules()
    {
        Tools.SkipUnlessRoot();
        using var dir = new TempDir();
        using var ns = new RawTableNamespace();
        var port = Guid.NewGuid().ToString();
        ns.Restore(new NeutronRawRules().HybridPort(port, 4101).ToRestoreInput());
        using var source = ZoneMapSources.Auto(new OvsdbEndpoint(dir.File("nowhere.sock")), ns.IptablesSave, new FakeTimeProvider());

        var map = source.Read(Deadline());

        Assert.Equal(ZoneBackend.Iptables, source.Backend);
        Assert.True(map.TryGetZone(port, out var zone));
        Assert.Equal(4101, zone);
        Assert.StartsWith("auto: iptables (`ip netns exec", source.Description, StringComparison.Ordinal);
        Assert.Null(source.LastProbeReport);
    }

    [Fact]
    public void Finding_nothing_is_no_error_and_probing_again_waits_for_the_interval()
    {
        using var dir = new TempDir();
        var runs = dir.File("runs");
        var rules = dir.Write("rules", "");
        var fail = dir.File("fail");
        var time = new FakeTimeProvider();
        using var source = ZoneMapSources.Auto(new OvsdbEndpoint(dir.File("db.sock")),
            ["sh", "-c", $"echo run >> {runs}; if [ -e {fail} ]; then echo broken >&2; exit 2; fi; cat {rules}"], time, TimeSpan.FromMinutes(1));
        int Runs() => File.Exists(runs) ? File.ReadAllLines(runs).Length : 0;

        Assert.Same(ZoneMap.Empty, source.Read(Deadline()));
        Assert.Equal(ZoneBackend.None, source.Backend);
        Assert.Equal((1, 1), (source.Probes, Runs()));
        Assert.Contains("Ovn: cannot connect to OVSDB", source.LastProbeReport, StringComparison.Ordinal);
        Assert.Contains("Iptables: not this node's backend", source.LastProbeReport, StringComparison.Ordinal);
        Assert.Contains("Ovs: cannot connect to OVSDB", source.LastProbeReport, StringComparison.Ordinal);
        Assert.StartsWith("auto (none found yet; probing OVN", source.Description, StringComparison.Ordinal);
        Assert.EndsWith("at most every 1m)", source.Description, StringComparison.Ordinal);

        Assert.Same(ZoneMap.Empty, source.Read(Deadline()));
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Same(ZoneMap.Empty, source.Read(Deadline()));
        Assert.Equal((1, 1), (source.Probes, Runs()));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Same(ZoneMap.Empty, source.Read(Deadline()));
        Assert.Equal((2, 2), (source.Probes, Runs()));

        // Neutron's agent starts and writes its rules: found at the next probe, not before.
        File.WriteAllText(rules, IptablesRawTableTests.Listing);
        Assert.Same(ZoneMap.Empty, source.Read(Deadline()));
        Assert.Equal((2, 2), (source.Probes, Runs()));
        time.Advance(TimeSpan.FromMinutes(1));
        var map = source.Read(Deadline());
        Assert.Equal(ZoneBackend.Iptables, source.Backend);
        Assert.Equal(2, map.Count);
        Assert.Equal((3, 3), (source.Probes, Runs()));

        // Settled: every read reads, none probes, and a failure is the direct source's error.
        Assert.Equal(2, source.Read(Deadline()).Count);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(2, source.Read(Deadline()).Count);
        Assert.Equal((3, 5), (source.Probes, Runs()));
        File.WriteAllText(fail, "");
        var error = Assert.Throws<ZoneMapException>(() => source.Read(Deadline()));
        Assert.Contains("exited with status 2: broken", error.Message, StringComparison.Ordinal);
        Assert.Equal(ZoneBackend.Iptables, source.Backend);
    }

    [Fact]
    public void A_reprobe_interval_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ZoneMapSources.Auto(new OvsdbEndpoint("/x.sock"), ["iptables-save"], new FakeTimeProvider(), TimeSpan.Zero));
    }
}
