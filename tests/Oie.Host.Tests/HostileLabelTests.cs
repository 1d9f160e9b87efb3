using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
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
    private InProcessExporter _exporter = null!;
    private string _body = "";

    public async Task InitializeAsync()
    {
        _exporter = await InProcessExporter.StartAsync($"-libvirt.uri=test://{Path.Combine(Fixtures, "node.xml")}",
            $"-conntrack.path={Path.Combine(Fixtures, "conntrack.txt")}", "-conntrack.min=1", "-cpu.min=0", "-conntrack.zones=none");
        await _exporter.AdvanceOneIntervalAsync();
        _body = await _exporter.ScrapeTextAsync();
    }

    public async Task DisposeAsync() => await _exporter.DisposeAsync();

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
