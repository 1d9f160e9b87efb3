using System.Diagnostics;
using Oie.Zones.Iptables;
using Oie.Zones.Tests.Infra;
using Oie.Testing;

namespace Oie.Zones.Tests;

/// <summary>
/// iptables_hybrid (and the Linux bridge agent) through the real iptables-save, in a network namespace holding raw
/// rules exactly as Neutron writes them; and the tool failing: exiting non-zero, missing, hanging, flooding.
/// </summary>
public sealed class RealIptablesTests
{
    private static readonly string PortA = Guid.NewGuid().ToString();
    private static readonly string PortB = Guid.NewGuid().ToString();
    private static readonly string Stateless = Guid.NewGuid().ToString();
    private static readonly string BridgePort = Guid.NewGuid().ToString();

    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    private static RawTableNamespace Node()
    {
        var ns = new RawTableNamespace();
        try
        {
            ns.Restore(new NeutronRawRules()
                .HybridPort(PortA, 4097)
                .HybridPort(PortB, 4098)
                .StatelessPort(Stateless)
                .LinuxBridgePort(BridgePort, Guid.NewGuid().ToString(), 4099)
                .Foreign("-i eth9 -j CT --zone 7")
                .ToRestoreInput());
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    [SkippableFact]
    public void Each_port_has_its_zone_by_device_prefix_and_a_stateless_port_has_none()
    {
        Tools.SkipUnlessRoot();
        using var ns = Node();
        using var source = ZoneMapSources.Iptables(ns.IptablesSave);
        var map = source.Read(Deadline());

        Assert.Equal(ZoneBackend.Iptables, map.Backend);
        Assert.Equal(new KeyValuePair<string, ushort>[] { new(PortA[..11], 4097), new(PortB[..11], 4098), new(BridgePort[..11], 4099) }
            .OrderBy(p => p.Key, StringComparer.Ordinal), map.Ports);
        Assert.True(map.TryGetZone(PortA, out var a));
        Assert.Equal(4097, a);
        Assert.True(map.TryGetZone(PortB.ToUpperInvariant(), out var b));
        Assert.Equal(4098, b);
        Assert.False(map.TryGetZone(Stateless, out _));
        Assert.Equal([4097, 4098, 4099], map.KnownZones); // the foreign rule's zone 7 is not Neutron's
        Assert.Contains("iptables-save -t raw", source.Description, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Removed_rules_show_on_the_next_read()
    {
        Tools.SkipUnlessRoot();
        using var ns = Node();
        using var source = ZoneMapSources.Iptables(ns.IptablesSave);
        Assert.Equal(3, source.Read(Deadline()).Count);

        var rules = ns.In("iptables", "-t", "raw", "-S", NeutronRawRules.Chain).Split('\n').Where(l => l.StartsWith("-A ", StringComparison.Ordinal)).ToList();
        var numbers = rules.Select((rule, i) => (rule, number: i + 1)).Where(r => r.rule.Contains(PortB[..11], StringComparison.Ordinal)).ToList();
        Assert.Equal(3, numbers.Count);
        foreach (var (_, number) in numbers.OrderByDescending(r => r.number))
            ns.In("iptables", "-t", "raw", "-D", NeutronRawRules.Chain, number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var map = source.Read(Deadline());

        Assert.False(map.TryGetZone(PortB, out _));
        Assert.True(map.TryGetZone(PortA, out _));
        Assert.Equal(2, map.Count);
    }

    [SkippableFact]
    public void A_tool_that_exits_non_zero_is_an_error_with_its_status_and_stderr()
    {
        Tools.SkipUnlessRoot();
        using var source = ZoneMapSources.Iptables(["ip", "netns", "exec", $"oie-zones-{Environment.ProcessId}-missing", "iptables-save"]);
        var error = Assert.Throws<ZoneMapException>(() => source.Read(Deadline()));

        Assert.Contains("exited with status", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cannot open network namespace", error.Message, StringComparison.Ordinal);
        Assert.Contains("-iptables.command", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_tool_is_an_error_naming_the_flag()
    {
        using var source = ZoneMapSources.Iptables(["/nonexistent/iptables-save"]);
        var error = Assert.Throws<ZoneMapException>(() => source.Read(Deadline()));
        Assert.Contains("cannot run `/nonexistent/iptables-save -t raw`", error.Message, StringComparison.Ordinal);
        Assert.Contains("-iptables.command", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hanging_tool_is_killed_and_reaped_at_the_deadline()
    {
        using var dir = new TempDir();
        var grandchild = dir.File("grandchild");
        using var source = (IptablesZoneMapSource)ZoneMapSources.Iptables(["sh", "-c", $"sleep 60 & echo $! > {grandchild}; exec sleep 60"]);
        var pids = new List<int>();
        source.Started = pids.Add;
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<ZoneMapException>(() => source.Read(new CancellationTokenSource(TimeSpan.FromSeconds(2)).Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains("did not finish before the deadline and was killed", error.Message, StringComparison.Ordinal);
        var child = Assert.Single(pids);
        Assert.True(Tools.IsReaped(child), $"the tool {child} was not reaped");
        var sleeper = int.Parse(File.ReadAllText(grandchild).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Poll.Until(() => !Tools.IsRunning(sleeper), $"the tool's own child {sleeper} being killed with it");
    }

    [Fact]
    public void A_deadline_already_passed_starts_nothing()
    {
        using var source = (IptablesZoneMapSource)ZoneMapSources.Iptables(["true"]);
        var pids = new List<int>();
        source.Started = pids.Add;
        var error = Assert.Throws<ZoneMapException>(() => source.Read(new CancellationToken(canceled: true)));
        Assert.Contains("deadline", error.Message, StringComparison.Ordinal);
        Assert.Empty(pids);
    }

    [Fact]
    public void A_flood_of_output_is_cut_off()
    {
        using var source = (IptablesZoneMapSource)ZoneMapSources.Iptables(["sh", "-c", "exec yes"]);
        var pids = new List<int>();
        source.Started = pids.Add;
        var error = Assert.Throws<ZoneMapException>(() => source.Read(Deadline()));
        Assert.Contains("`sh -c exec yes -t raw` printed more than 16 MiB and was killed", error.Message, StringComparison.Ordinal);
        Assert.True(Tools.IsReaped(Assert.Single(pids)));
    }

    [Fact]
    public void Stderr_of_a_failing_tool_is_kept_and_the_command_runs_without_a_shell_in_the_c_locale()
    {
        using var dir = new TempDir();
        var args = dir.File("args");
        using var source = ZoneMapSources.Iptables(["sh", "-c", $"printf '%s|' \"$0\" \"$@\" \"$LC_ALL\" > {args}; echo 'iptables-save: boom' >&2; exit 3", "a b"]);
        var error = Assert.Throws<ZoneMapException>(() => source.Read(Deadline()));

        Assert.Contains("exited with status 3: iptables-save: boom", error.Message, StringComparison.Ordinal);
        Assert.Equal("a b|-t|raw|C|", File.ReadAllText(args));
    }
}
