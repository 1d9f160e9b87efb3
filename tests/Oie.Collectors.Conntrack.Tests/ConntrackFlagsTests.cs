using Oie.Conntrack.Reading;

namespace Oie.Collectors.Conntrack.Tests;

/// <summary>Flag parsing and how the deadline is resolved against the collection interval.</summary>
public sealed class ConntrackFlagsTests
{
    [Fact]
    public void Defaults_run_the_tool_with_min_20_and_a_deadline_of_80_percent_of_the_interval()
    {
        var rig = Conntrack.Create();
        var options = rig.Options;
        Assert.Equal(20, rig.Collector.Min);
        Assert.False(options.ReadsFile);
        Assert.Equal(["conntrack"], options.Command);
        Assert.Equal(TimeSpan.FromSeconds(8), options.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(4), Conntrack.Create(TimeSpan.FromSeconds(5)).Options.Timeout);
        Assert.Equal("/proc/sys/net/netfilter/nf_conntrack_max", options.MaxPath);
        Assert.Equal(ConntrackSourceKind.Cli, options.Source);
        Assert.Equal("", options.Netns);
    }

    [Fact]
    public void Netlink_is_chosen_with_its_namespace()
    {
        var options = Conntrack.Create("-conntrack.source=netlink", "-conntrack.netns=qrouter-1").Options;
        Assert.Equal(ConntrackSourceKind.Netlink, options.Source);
        Assert.Equal("qrouter-1", options.Netns);
        Assert.False(options.ReadsFile);
        Assert.Equal(ConntrackSourceKind.Cli, Conntrack.Create("-conntrack.source=cli", "-conntrack.path=/tmp/x").Options.Source);
    }

    [Fact]
    public void Events_are_chosen_with_their_namespace_and_resync_period()
    {
        var options = Conntrack.Create("-conntrack.source=events", "-conntrack.netns=qrouter-1", "-conntrack.events.resync=90s").Options;
        Assert.Equal(ConntrackSourceKind.Events, options.Source);
        Assert.Equal("qrouter-1", options.Netns);
        Assert.Equal(TimeSpan.FromSeconds(90), options.EventsResync);
        Assert.Equal(TimeSpan.FromMinutes(10), Conntrack.Create("-conntrack.source=events").Options.EventsResync);
    }

    [Theory]
    [InlineData("-conntrack.path=/tmp/x", "-conntrack.path reads a saved table and cannot be combined with -conntrack.source=events")]
    [InlineData("-conntrack.command=conntrack", "-conntrack.command runs the tool, which -conntrack.source=events does not use")]
    public void Flags_events_would_ignore_are_rejected_at_creation(string arg, string problem)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Conntrack.Create("-conntrack.source=events", arg));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resync_period_without_the_events_source_is_rejected_at_creation()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Conntrack.Create("-conntrack.source=netlink", "-conntrack.events.resync=5m"));
        Assert.Contains("-conntrack.events.resync needs -conntrack.source=events", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-conntrack.path=/tmp/x", "-conntrack.path reads a saved table and cannot be combined with -conntrack.source=netlink")]
    [InlineData("-conntrack.command=ip netns exec x conntrack", "-conntrack.command runs the tool, which -conntrack.source=netlink does not use")]
    public void Flags_netlink_would_ignore_are_rejected_at_creation(string arg, string problem)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Conntrack.Create("-conntrack.source=netlink", arg));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_namespace_without_the_netlink_source_is_rejected_at_creation()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Conntrack.Create("-conntrack.netns=x"));
        Assert.Contains("-conntrack.netns needs -conntrack.source=netlink", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_are_taken_from_the_command_line()
    {
        var rig = Conntrack.Create("-conntrack.min=3", "-conntrack.path=/tmp/x", "-conntrack.timeout=2500ms",
            "-conntrack.command=  ip netns exec  qrouter-1\tconntrack ");
        var options = rig.Options;
        Assert.Equal(3, rig.Collector.Min);
        Assert.Equal("/tmp/x", options.Path);
        Assert.True(options.ReadsFile);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), options.Timeout);
        Assert.Equal(["ip", "netns", "exec", "qrouter-1", "conntrack"], options.Command);
    }

    [Theory]
    [InlineData("10s")]
    [InlineData("11s")]
    [InlineData("1h")]
    public void A_timeout_not_shorter_than_the_interval_is_rejected_at_creation(string timeout)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Conntrack.Create(TimeSpan.FromSeconds(10), $"-conntrack.timeout={timeout}"));
        Assert.Contains($"-conntrack.timeout={timeout}", error.Message, StringComparison.Ordinal);
        Assert.Contains("must be shorter than -collection.interval=10s", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-conntrack.timeout=-1s", "-conntrack.timeout", "must not be negative")]
    [InlineData("-conntrack.timeout=soon", "-conntrack.timeout", "parse error")]
    [InlineData("-conntrack.command=", "-conntrack.command", "must name the conntrack program")]
    [InlineData("-conntrack.command=   ", "-conntrack.command", "must name the conntrack program")]
    [InlineData("-conntrack.min=many", "-conntrack.min", "parse error")]
    [InlineData("-conntrack.source=kernel", "-conntrack.source", "must be cli, netlink or events")]
    [InlineData("-conntrack.source=", "-conntrack.source", "must be cli, netlink or events")]
    [InlineData("-conntrack.source=Netlink", "-conntrack.source", "must be cli, netlink or events")]
    [InlineData("-conntrack.netns=/run/netns/x", "-conntrack.netns", "not a path")]
    [InlineData("-conntrack.netns=..", "-conntrack.netns", "not a path")]
    [InlineData("-conntrack.events.resync=often", "-conntrack.events.resync", "parse error")]
    [InlineData("-conntrack.events.resync=0s", "-conntrack.events.resync", "must be greater than zero")]
    public void Bad_values_fail_parsing_naming_the_flag(string arg, string flag, string problem)
    {
        var flags = new FlagSet();
        _ = new ConntrackSourceFlags(flags);
        ConntrackCollector.Setup(PluginsFile.EntryOf<ConntrackCollector>(), flags);
        var result = flags.Parse([arg]);
        Assert.False(result.Success);
        Assert.Contains(flag, result.Error, StringComparison.Ordinal);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
    }
}
