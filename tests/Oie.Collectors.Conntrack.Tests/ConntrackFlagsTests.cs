namespace Oie.Collectors.Conntrack.Tests;

/// <summary>Flag parsing and how the deadline is resolved against the collection interval.</summary>
public sealed class ConntrackFlagsTests
{
    [Fact]
    public void Defaults_run_the_tool_with_min_20_and_a_deadline_of_80_percent_of_the_interval()
    {
        var options = Conntrack.Create().Options;
        Assert.Equal(20, options.Min);
        Assert.False(options.ReadsFile);
        Assert.Equal(["conntrack"], options.Command);
        Assert.Equal(TimeSpan.FromSeconds(8), options.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(4), Conntrack.Create(TimeSpan.FromSeconds(5)).Options.Timeout);
        Assert.Equal("/proc/sys/net/netfilter/nf_conntrack_max", options.MaxPath);
    }

    [Fact]
    public void Values_are_taken_from_the_command_line()
    {
        var options = Conntrack.Create("-conntrack.min=3", "-conntrack.path=/tmp/x", "-conntrack.timeout=2500ms",
            "-conntrack.command=  ip netns exec  qrouter-1\tconntrack ").Options;
        Assert.Equal(3, options.Min);
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
    public void Bad_values_fail_parsing_naming_the_flag(string arg, string flag, string problem)
    {
        var result = Plugin.Parse<Oie.Collectors.Conntrack.ConntrackCollector>(arg);
        Assert.False(result.Success);
        Assert.Contains(flag, result.Error, StringComparison.Ordinal);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
    }
}
