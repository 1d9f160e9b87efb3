using System.Diagnostics;
using Oie.Collectors.Conntrack;

namespace Oie.Collectors.Conntrack.Tests;

/// <summary>The default source with real processes: a script in place of the conntrack binary.</summary>
public sealed class ToolSourceTests : IDisposable
{
    private readonly FakeTool _tool = new();

    public void Dispose() => _tool.Dispose();

    private ConntrackRig Collector(params string[] extra) =>
        Conntrack.Create([$"-conntrack.command={_tool.Path}", "-conntrack.min=1", .. extra]);

    private static CollectorSourceException Fails(ConntrackRig collector)
    {
        var error = Assert.Throws<CollectorSourceException>(() => collector.Run(Cycle.Of(0, Vm.A, Vm.B)));
        Assert.Equal("conntrack", error.Source);
        return error;
    }

    private static void WorksAgain(ConntrackRig collector)
    {
        var samples = collector.Run(Cycle.Of(1, Vm.A, Vm.B));
        Assert.Equal([4.0, 3.0, 4.0, 3.0], samples.Of("oie_conntrack_ip_total").Select(s => s.Value));
        Assert.Equal(7, Conntrack.Host(samples, "oie_conntrack_entries"));
    }

    [Fact]
    public void Both_families_are_listed_explicitly_and_attributed_in_one_pass()
    {
        var samples = Collector().Run(Cycle.Of(0, Vm.A, Vm.B));
        Assert.Equal(["-L -o extended -f ipv4", "-L -o extended -f ipv6"], File.ReadAllLines(_tool.ArgsLog));
        Assert.Equal(
            [
                ("instance-00000001", "10.0.0.5", "ipv4", 4.0),
                ("instance-00000001", "fd00::5", "ipv6", 3.0),
                ("instance-00000002", "10.0.0.6", "ipv4", 4.0),
                ("instance-00000002", "fd00::6", "ipv6", 3.0),
            ],
            Conntrack.IpTotals(samples));
        Assert.Equal(7, Conntrack.Host(samples, "oie_conntrack_entries"));
        Assert.Equal(0, Conntrack.Host(samples, "oie_conntrack_malformed_lines"));
    }

    [Fact]
    public void The_command_is_split_on_whitespace_and_run_without_a_shell()
    {
        _tool.Script($"""
            echo "$OIE_WRAPPED|$1" >> '{_tool.ArgsLog}'
            """);
        Conntrack.Create($"-conntrack.command=/usr/bin/env OIE_WRAPPED=yes {_tool.Path} $HOME;*", "-conntrack.min=1")
            .Run(Cycle.Of(0, Vm.A));
        // env ran the tool with its variable; $HOME;* reached it verbatim: no shell expanded it.
        Assert.Equal(["yes|$HOME;*", "yes|$HOME;*"], File.ReadAllLines(_tool.ArgsLog));
    }

    [Fact]
    public void A_tool_exiting_non_zero_fails_the_cycle_with_its_stderr_even_after_printing_entries()
    {
        var collector = Collector();
        _tool.Script($"""
            cat '{Conntrack.Fixture("conntrack-extended-ipv4.txt")}'
            echo "conntrack v1.4.7 (conntrack-tools): Operation failed: Permission denied" >&2
            exit 1
            """);
        var error = Fails(collector);
        Assert.Contains($"`{_tool.Path} -L -o extended -f ipv4` exited with status 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("Operation failed: Permission denied", error.Message, StringComparison.Ordinal);
        _tool.Good();
        WorksAgain(collector);
    }

    [Fact]
    public void A_hanging_tool_is_killed_at_the_deadline_and_reaped()
    {
        var collector = Collector("-conntrack.timeout=1s");
        _tool.Script($"""
            echo $$ > '{_tool.PidFile}'
            head -2 '{Conntrack.Fixture("conntrack-extended-ipv4.txt")}'
            exec sleep 300
            """);
        var clock = Stopwatch.StartNew();
        var error = Fails(collector);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        // The IPv6 run is not started once the deadline has passed.
        Assert.Equal($"`{_tool.Path} -L -o extended -f ipv4` did not finish within -conntrack.timeout=1s and was killed; " +
                     $"`{_tool.Path} -L -o extended -f ipv6` did not finish within -conntrack.timeout=1s and was killed", error.Message);
        var pid = Assert.Single(_tool.Pids());
        Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} is still there (running or an unreaped zombie)");
        _tool.Good();
        WorksAgain(collector);
    }

    [Fact]
    public void The_whole_process_tree_is_killed_at_the_deadline()
    {
        var collector = Collector("-conntrack.timeout=1s");
        _tool.Script($"""
            sleep 300 &
            echo $$ > '{_tool.PidFile}'
            echo $! >> '{_tool.PidFile}'
            wait
            """);
        Assert.Contains("did not finish within -conntrack.timeout=1s", Fails(collector).Message, StringComparison.Ordinal);
        var pids = _tool.Pids();
        Assert.Equal(2, pids.Count);
        // The tool itself is reaped; its child is killed (reaping an orphan is init's job).
        Assert.False(Directory.Exists($"/proc/{pids[0]}"));
        Assert.False(FakeTool.IsRunning(pids[1]), $"child {pids[1]} survived the kill");
    }

    [Fact]
    public void A_tool_printing_garbage_fails_the_cycle()
    {
        var collector = Collector();
        _tool.Script("""
            echo "Usage: conntrack [commands] [options]"
            echo "unknown option -o"
            """);
        var error = Fails(collector);
        Assert.Contains($"`{_tool.Path} -L -o extended -f ipv4` printed no conntrack table", error.Message, StringComparison.Ordinal);
        _tool.Good();
        WorksAgain(collector);
    }

    [Fact]
    public void Garbage_in_one_family_fails_that_family_only()
    {
        _tool.Script($"""
            case "$*" in
              *"-f ipv4"*) cat '{Conntrack.Fixture("conntrack-extended-ipv4.txt")}' ;;
              *) cat '{Conntrack.Fixture("garbage.txt")}' ;;
            esac
            """);
        var collector = Collector();
        var samples = collector.Run(Cycle.Of(0, Vm.A, Vm.B));
        Assert.Equal([("10.0.0.5", 4.0), ("10.0.0.6", 4.0)], Conntrack.IpTotals(samples).Select(t => (t.Ip, t.Count)));
        Assert.Equal(ConntrackFamilies.V4, collector.Table!.Read);
        Assert.Contains("-f ipv6` printed no conntrack table", Assert.Single(collector.Table.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_without_IPv6_conntrack_still_exports_the_whole_IPv4_table()
    {
        // conntrack -L -f ipv6 exits non-zero where the kernel has no IPv6 conntrack (ipv6.disable=1).
        _tool.Script($"""
            case "$*" in
              *"-f ipv4"*) cat '{Conntrack.Fixture("conntrack-extended-ipv4.txt")}' ;;
              *) echo "conntrack v1.4.7 (conntrack-tools): Operation failed: Address family not supported by protocol" >&2; exit 1 ;;
            esac
            """);
        var collector = Collector();
        var samples = collector.Run(Cycle.Of(0, Vm.A, Vm.B));
        Assert.Equal([("10.0.0.5", "ipv4", 4.0), ("10.0.0.6", "ipv4", 4.0)], Conntrack.IpTotals(samples).Select(t => (t.Ip, t.Family, t.Count)));
        Assert.Equal(4, Conntrack.Host(samples, "oie_conntrack_entries"));
        var error = Assert.Single(collector.Table!.Errors);
        Assert.Contains("-f ipv6` exited with status 1: conntrack v1.4.7 (conntrack-tools): Operation failed: Address family not supported", error, StringComparison.Ordinal);
        Assert.False(collector.Table.HasRead(Net.IpFamily.V6));
    }

    [Fact]
    public void A_missing_tool_fails_the_cycle_naming_the_command()
    {
        var collector = Conntrack.Create($"-conntrack.command={_tool.File("no-such-conntrack")} -x", "-conntrack.min=1");
        var error = Assert.Throws<CollectorSourceException>(() => collector.Run(Cycle.Of(0, Vm.A)));
        Assert.Equal("conntrack", error.Source);
        Assert.StartsWith($"cannot run `{_tool.File("no-such-conntrack")} -x -L -o extended -f ipv4`", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_cycle_writes_nothing()
    {
        _tool.Script($"""
            cat '{Conntrack.Fixture("conntrack-extended-ipv4.txt")}'
            exit 3
            """);
        var writer = new RecordingSampleWriter();
        Assert.Throws<CollectorSourceException>(() => Collector().Collect(Cycle.Of(0, Vm.A), writer));
        Assert.Empty(writer.Samples);
    }
}
