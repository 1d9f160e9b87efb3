using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oie.Abstractions;
using Oie.Generated;
using Oie.Host.Collection;
using Oie.Host.CommandLine;
using Oie.ThreatIntel;

namespace Oie.Host.Tests;

/// <summary>
/// All four feeds on (the bundled samples/feeds lists): Tor, Spamhaus DROP and EmergingThreats served by a real HTTP
/// server on 127.0.0.1, the custom list from a file; a conntrack capture whose flows hit each list (including a v4 prefix shorter than /16 and a v6 prefix
/// shorter than /48, which the Go original missed). Each contact metric appears for the right instance only.
/// </summary>
public sealed class ThreatContactEndToEndTests : IAsyncLifetime
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures", "contacts");
    private static readonly string FeedFiles = Path.Combine(RepoPaths.Root, "samples", "feeds");
    private readonly DirectoryInfo _cacheDir = Directory.CreateTempSubdirectory("oie-feeds-");
    private WebApplication _feedServer = null!;
    private InProcessExporter _exporter = null!;

    public async Task InitializeAsync()
    {
        _feedServer = StartFeedServer();
        await _feedServer.StartAsync();
        var feeds = _feedServer.Urls.Single().TrimEnd('/');

        _exporter = await InProcessExporter.StartAsync(
        [
            $"-libvirt.uri=test://{RepoPaths.SampleNode}",
            $"-conntrack.path={Path.Combine(Fixtures, "conntrack.txt")}", "-conntrack.min=1",
            "-tor.enable", $"-tor.url={feeds}/onionoo-details.json",
            "-spamhaus.enable", $"-spamhaus.url={feeds}/drop.txt", $"-spamhaus.ipv6.url={feeds}/dropv6.txt",
            "-emergingthreats.enable", $"-emergingthreats.url={feeds}/compromised-ips.txt",
            "-customlist.enable", $"-customlist.path={Path.Combine(FeedFiles, "custom-ips.txt")}",
            $"-feeds.cache-dir={_cacheDir.FullName}",
        ]);
        await _exporter.AdvanceOneIntervalAsync(); // a cycle with every list in force
    }

    public async Task DisposeAsync()
    {
        await _exporter.DisposeAsync();
        await _feedServer.StopAsync();
        await _feedServer.DisposeAsync();
        _cacheDir.Delete(recursive: true);
    }

    private static WebApplication StartFeedServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(context =>
        {
            var file = Path.Combine(FeedFiles, Path.GetFileName(context.Request.Path.Value ?? ""));
            if (!File.Exists(file))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return context.Response.SendFileAsync(file);
        });
        return app;
    }

    private async Task<string[]> ContactLines()
    {
        var text = await _exporter.ScrapeTextAsync();
        return [.. text.Split('\n').Where(l => l.StartsWith("oie_", StringComparison.Ordinal) && l.Contains("_contact{"))];
    }

    private static string Contact(string metric, string domain, string uuid, string project) =>
        $"{metric}{{domain=\"{domain}\",instance_uuid=\"{uuid}\",project_uuid=\"{project}\",user_uuid=\"75736572-0000-4000-8000-000000000001\"}} 1";

    private const string ProjectA = "6f70656e-7374-6163-6b20-70726f6a6563";
    private const string ProjectB = "0a1b2c3d-0000-4000-8000-000000000002";

    [Fact]
    public async Task Each_list_reports_exactly_the_instance_that_contacted_it()
    {
        var lines = await ContactLines();
        string[] expected =
        [
            Contact("oie_tor_contact", "instance-00000001", "11111111-0000-4000-8000-000000000000", ProjectA),
            Contact("oie_spamhaus_contact", "instance-00000002", "11111111-0000-4000-8000-000000000001", ProjectB),
            Contact("oie_spamhaus_contact", "instance-00000003", "11111111-0000-4000-8000-000000000002", ProjectA),
            Contact("oie_emergingthreats_contact", "instance-00000004", "11111111-0000-4000-8000-000000000003", ProjectB),
            Contact("oie_customlist_contact", "instance-00000005", "11111111-0000-4000-8000-000000000004", ProjectA),
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), lines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Contact_metrics_carry_the_seed_help_texts_and_feed_health_is_exported()
    {
        var text = await _exporter.ScrapeTextAsync();
        Assert.Contains("# HELP oie_tor_contact 1 if this instance communicated with a Tor exit node during the collection interval\n", text);
        Assert.Contains("# HELP oie_spamhaus_contact 1 if this instance communicated with a Spamhaus DROP-listed IP during the collection interval\n", text);
        Assert.Contains("# HELP oie_emergingthreats_contact 1 if this instance communicated with an IP listed in the EmergingThreats compromised IP feed\n", text);
        Assert.Contains("# HELP oie_customlist_contact 1 if this instance communicated with an IP from the user-provided custom list\n", text);
        foreach (var (feed, entries) in new[] { ("tor", 4), ("spamhaus", 4), ("emergingthreats", 2), ("customlist", 2) })
        {
            Assert.Contains($"oie_exporter_feed_entries{{feed=\"{feed}\"}} {entries}\n", text);
            Assert.Contains($"oie_exporter_feed_fresh{{feed=\"{feed}\"}} 1\n", text);
        }
        await PromtoolAssert.Valid(Encoding.UTF8.GetBytes(text));
    }
}
