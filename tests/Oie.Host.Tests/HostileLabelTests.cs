using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Oie.Abstractions;
using Oie.Generated;
using Oie.Host.Collection;
using Oie.Host.CommandLine;

namespace Oie.Host.Tests;

/// <summary>
/// Label values with quotes, backslashes, newlines and non-ASCII (a domain name, Nova's owner uuid, a disk path) and a
/// fixed IP claimed by two instances with no zone to tell them apart (counted for both, each with its own labels): the
/// exposition stays valid for promtool, never a failed scrape.
/// </summary>
public sealed class HostileLabelTests : IAsyncLifetime
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures", "weird");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly Channel<CycleSnapshot> _cycles = Channel.CreateUnbounded<CycleSnapshot>();
    private WebApplication _app = null!;
    private string _body = "";

    public async Task InitializeAsync()
    {
        var commandLine = new ExporterCommandLine(PluginRegistry.Collectors, PluginRegistry.Feeds);
        Assert.True(commandLine.Parse([$"-libvirt.uri=test://{Path.Combine(Fixtures, "node.xml")}", "-web.listen-address=127.0.0.1:0",
            $"-conntrack.path={Path.Combine(Fixtures, "conntrack.txt")}", "-conntrack.min=1", "-cpu.min=0", "-conntrack.zones=none"]).Success);
        _app = TestExporter.Build(commandLine, _time);
        _app.CollectionLoop().WaitingForNextSlot += s => _cycles.Writer.TryWrite(s!);
        await _app.StartAsync();
        await _cycles.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(10));
        await _cycles.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient();
        _body = await http.GetStringAsync(_app.Urls.Single().TrimEnd('/') + "/metrics");
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task The_exposition_stays_valid() => await PromtoolAssert.Valid(Encoding.UTF8.GetBytes(_body));

    [Fact]
    public void Quotes_backslashes_newlines_and_non_ascii_are_escaped_as_the_text_format_requires()
    {
        Assert.Contains("oie_cpu_percent{domain=\"vm \\\"quoted\\\" \\\\back ü\",instance_uuid=\"11111111-0000-4000-8000-000000000000\"," +
                        "user_uuid=\"user \\\"q\\\" \\\\ line\\ntwo ✓\",", _body);
        Assert.Contains("disk_uuid=\"/var/lib/nova/instances/weird \\\"disk\\\"\\\\path\",disk_type=\"local\",disk_path=\"vda\"", _body);
    }

    [Fact]
    public void A_fixed_ip_two_instances_claim_without_zones_is_counted_for_each_and_reported()
    {
        var lines = _body.Split('\n').Where(l => l.StartsWith("oie_conntrack_ip_total{", StringComparison.Ordinal)).ToList();
        var shared = lines.Where(l => l.Contains("ip=\"10.0.0.5\"")).ToList();
        Assert.Equal(2, shared.Count);
        Assert.All(shared, l => Assert.EndsWith(" 2", l, StringComparison.Ordinal));
        Assert.Single(shared, l => l.Contains("domain=\"instance-00000002\""));
        Assert.Contains(lines, l => l.Contains("ip=\"fd00::6\"") && l.Contains("domain=\"instance-00000002\""));
        Assert.Contains("\noie_exporter_ambiguous_fixed_ips 1\n", _body);
    }
}
