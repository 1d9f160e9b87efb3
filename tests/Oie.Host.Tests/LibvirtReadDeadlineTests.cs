using Oie.Generated;
using Oie.Host.Collection;
using Oie.Host.CommandLine;
using Oie.Libvirt;

namespace Oie.Host.Tests;

/// <summary>
/// A libvirt read that hangs (a domain's QEMU frozen with nobody holding its job: libvirt then waits on the monitor
/// with no timeout) must not freeze the cycle. The deadline uses the system clock with a short limit: the hung read
/// here never returns until released, so the outcome does not depend on the machine's speed.
/// </summary>
public sealed class LibvirtReadDeadlineTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(50);
    private readonly HangingSource _source = new();

    [Fact]
    public void A_read_within_the_deadline_is_passed_through()
    {
        _source.Release();
        var deadline = new LibvirtReadDeadline(_source, TimeSpan.FromSeconds(30), TimeProvider.System);
        Assert.Same(HangingSource.Result, deadline.Read());
        Assert.False(deadline.ReadInFlight);
    }

    [Fact]
    public async Task A_hung_read_makes_libvirt_unavailable_and_no_second_read_is_stacked_on_it()
    {
        var deadline = new LibvirtReadDeadline(_source, Deadline, TimeProvider.System);

        var first = deadline.Read();
        Assert.False(first.Available);
        Assert.Empty(first.Instances);
        Assert.Contains("-libvirt.timeout=50ms", first.Error);
        Assert.True(deadline.ReadInFlight);

        var second = deadline.Read();
        Assert.False(second.Available);
        Assert.Contains("still not returned", second.Error);
        Assert.Equal(1, _source.Reads);   // the hung call is not joined by another on the same connection

        _source.Release();
        await deadline.Abandoned!;
        Assert.False(deadline.ReadInFlight);
        Assert.Same(HangingSource.Result, deadline.Read());   // the abandoned result is dropped; a fresh read is served
        Assert.Equal(2, _source.Reads);
    }

    [Theory]
    [InlineData("10s", "0s", 10_000)]
    [InlineData("10s", "2s", 2_000)]
    [InlineData("1s", "30s", 30_000)]   // longer than the interval: the cycle overruns, the loop skips missed slots
    public void The_timeout_defaults_to_one_interval(string interval, string timeout, int expectedMilliseconds)
    {
        var commandLine = new ExporterCommandLine(PluginRegistry.Collectors, PluginRegistry.Feeds);
        Assert.True(commandLine.Parse([$"-collection.interval={interval}", $"-libvirt.timeout={timeout}"]).Success);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), commandLine.Host.ResolveLibvirtTimeout());
    }

    [Theory]
    [InlineData("-1s")]
    [InlineData("soon")]
    public void A_negative_or_unparsable_timeout_is_a_usage_error(string value)
    {
        var parsed = new ExporterCommandLine(PluginRegistry.Collectors, PluginRegistry.Feeds).Parse([$"-libvirt.timeout={value}"]);
        Assert.False(parsed.Success);
        Assert.Contains("-libvirt.timeout", parsed.Error);
    }

    public void Dispose() => _source.Release();

    private sealed class HangingSource : IInstanceSource
    {
        public static readonly LibvirtReadResult Result = new(true, [], null, 0);
        private readonly ManualResetEventSlim _gate = new();
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public LibvirtReadResult Read()
        {
            Interlocked.Increment(ref _reads);
            _gate.Wait();
            return Result;
        }

        public void Release() => _gate.Set();
    }
}
