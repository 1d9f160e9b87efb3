using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Oie.Abstractions;
using Oie.Generated;
using Oie.Host.Collection;
using Oie.Host.CommandLine;
using Snapshooter.Xunit;

namespace Oie.Host.Tests;

/// <summary>
/// The whole exporter in-process: real libvirt.so.0 (test driver on samples/node.xml), the generated plugin registry,
/// the collection loop on a fake clock, Kestrel on a loopback port, scraped over real HTTP and linted by real promtool.
/// </summary>
public sealed partial class EndToEndTests : IAsyncLifetime
{
    private readonly HttpClient _http = new(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None });
    private InProcessExporter _exporter = null!;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        _exporter = await InProcessExporter.StartAsync(
            $"-libvirt.uri=test://{RepoPaths.SampleNode}", "-cpu.min=0", $"-conntrack.path={RepoPaths.SampleConntrack}",
            "-read.thresholds=default:500,local:200,volumes:2500", "-write.thresholds=volumes:1000");
        _baseUrl = _exporter.BaseUrl;
    }

    public async Task DisposeAsync()
    {
        await _exporter.DisposeAsync();
        _http.Dispose();
    }

    private Task<CycleSnapshot> AdvanceOneInterval() => _exporter.AdvanceOneIntervalAsync();

    private async Task<(HttpResponseMessage Response, byte[] Body)> Scrape(string? acceptEncoding = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _baseUrl + "/metrics");
        // What Prometheus sends: OpenMetrics first. We must still answer text 0.0.4 so counters keep their seed names.
        request.Headers.TryAddWithoutValidation("Accept",
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        if (acceptEncoding is not null)
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        var response = await _http.SendAsync(request);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    private async Task<string> ScrapeText() => Encoding.UTF8.GetString((await Scrape()).Body);

    [Fact]
    public async Task Serves_text_format_0_0_4_even_when_openmetrics_is_preferred()
    {
        var (response, body) = await Scrape();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("# TYPE oie_disk_r_gbytes counter", Encoding.UTF8.GetString(body));
        Assert.DoesNotContain("# EOF", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public async Task The_exposition_passes_promtool()
    {
        await AdvanceOneInterval();
        var (_, body) = await Scrape();
        await PromtoolAssert.Valid(body);
    }

    [Fact]
    public async Task Gzip_is_served_when_asked_for_and_decodes_to_the_same_exposition()
    {
        var (response, compressed) = await Scrape("gzip");
        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        var decoded = new MemoryStream();
        await gzip.CopyToAsync(decoded);
        Assert.Equal(await ScrapeText(), Encoding.UTF8.GetString(decoded.ToArray()));
    }

    [Fact]
    public async Task Sample_instances_carry_openstack_labels_and_thresholds_resolve_by_disk_type()
    {
        var text = await ScrapeText();
        var snapshot = await NextCycleOrCurrent();
        var nova = snapshot.Instances.Single(i => i.Facts.Domain == "instance-00000001").Facts; // libvirt lists in hash order
        var prefix = $"domain=\"{nova.Domain}\",instance_uuid=\"{nova.InstanceUuid}\",user_uuid=\"{nova.UserUuid}\",project_uuid=\"{nova.ProjectUuid}\"";
        Assert.Contains($"oie_disk_r_alert_threshold{{{prefix},disk_uuid=\"/var/lib/nova/instances/{nova.InstanceUuid}/disk\",disk_type=\"local\",disk_path=\"vda\"}} 200", text);
        Assert.Matches($"oie_disk_r_alert_threshold\\{{{Regex.Escape(prefix)},disk_uuid=\"volume-[0-9a-f-]+\",disk_type=\"volumes\",disk_path=\"vdb\"\\}} 2500", text);
        Assert.Matches($"oie_disk_w_alert_threshold\\{{{Regex.Escape(prefix)},disk_uuid=\"volume-[0-9a-f-]+\",disk_type=\"volumes\",disk_path=\"vdb\"\\}} 1000", text);
        Assert.Contains($"oie_disk_w_alert_threshold{{{prefix},disk_uuid=\"/var/lib/nova/instances/{nova.InstanceUuid}/disk\",disk_type=\"local\",disk_path=\"vda\"}} 100", text);
        Assert.Contains($"oie_net_rx_gbytes{{domain=\"{nova.Domain}\",interface=\"{nova.Interfaces[0]}\",instance_uuid=\"{nova.InstanceUuid}\"", text);
    }

    private async Task<CycleSnapshot> NextCycleOrCurrent() => await AdvanceOneInterval();

    [Fact]
    public async Task Cpu_appears_from_the_second_cycle_and_counters_never_decrease()
    {
        var first = await ScrapeText();
        Assert.DoesNotContain("oie_cpu_percent{", first);
        await AdvanceOneInterval();
        var second = await ScrapeText();
        Assert.Contains("oie_cpu_percent{", second);
        await AdvanceOneInterval();
        var third = await ScrapeText();
        var before = Counters(second);
        var after = Counters(third);
        Assert.NotEmpty(before);
        foreach (var (series, value) in before)
        {
            if (after.TryGetValue(series, out var later))
                Assert.True(later >= value, $"{series} went from {value} to {later}");
        }
    }

    [Fact]
    public async Task Exporter_self_metrics_are_appended()
    {
        var text = await ScrapeText();
        Assert.Contains("oie_exporter_libvirt_up 1", text);
        Assert.Matches("oie_exporter_instances [1-9]", text);
        Assert.Contains("oie_exporter_collection_duration_seconds{stage=\"libvirt\"}", text);
        Assert.Contains("oie_exporter_collection_duration_seconds{stage=\"render\"}", text);
        Assert.Contains("oie_exporter_collector_success{collector=\"cpu\"} 1", text);
        Assert.Contains("oie_exporter_collection_errors_total{source=\"libvirt\"} 0", text);
        Assert.Contains("process_cpu_seconds_total", text);
    }

    [Fact]
    public async Task Landing_page_links_the_metrics_and_other_paths_are_404()
    {
        var page = await _http.GetStringAsync(_baseUrl + "/");
        Assert.Contains("href=\"/metrics\"", page);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(_baseUrl + "/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _http.PostAsync(_baseUrl + "/metrics", null)).StatusCode);
    }

    [Fact]
    public async Task Exposition_of_the_sample_node_matches_the_golden_file()
    {
        await AdvanceOneInterval();
        var text = await ScrapeText();
        var normalised = string.Join('\n', text.Split('\n')
            .Where(line => line.StartsWith("oie_", StringComparison.Ordinal) && !line.StartsWith("oie_exporter_", StringComparison.Ordinal)
                           || line.StartsWith("# ", StringComparison.Ordinal) && line.Contains(" oie_") && !line.Contains(" oie_exporter_"))
            .Where(line => !line.Contains("oie_conntrack_max")) // the host kernel's table size
            .Select(NormaliseMeasuredValue));
        Snapshot.Match(normalised);
    }

    /// <summary>Counters and CPU come from the test driver's clock; thresholds (configuration) and conntrack counts (a
    /// fixed capture) stay exact.</summary>
    private static string NormaliseMeasuredValue(string line) =>
        line.StartsWith('#') || line.Contains("_alert_threshold{") || line.StartsWith("oie_conntrack_", StringComparison.Ordinal)
            ? line
            : MeasuredValue().Replace(line, " <value>");

    private static Dictionary<string, double> Counters(string text) =>
        text.Split('\n')
            .Where(l => l.StartsWith("oie_disk_r_", StringComparison.Ordinal) && !l.Contains("threshold") || l.StartsWith("oie_net_", StringComparison.Ordinal))
            .Select(l => (Series: l[..l.LastIndexOf(' ')], Value: double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)))
            .ToDictionary(p => p.Series, p => p.Value);

    [GeneratedRegex(" [^ ]+$")]
    private static partial Regex MeasuredValue();
}
