using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;
using Oie.Generated;
using Oie.Host.CommandLine;

namespace Oie.Host.Tests.Web;

/// <summary>The whole exporter in-process on 127.0.0.1:0 with a -web.config.file.</summary>
internal sealed class WebApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebApp(WebApplication app) => _app = app;

    /// <summary>The base URL, https:// when TLS is on, without a trailing slash.</summary>
    public string BaseUrl => _app.Urls.Single().TrimEnd('/');

    public static async Task<WebApp> StartAsync(string webConfigFile)
    {
        var commandLine = new ExporterCommandLine(PluginRegistry.Collectors);
        var parsed = commandLine.Parse([$"-libvirt.uri=test://{RepoPaths.SampleNode}", "-web.listen-address=127.0.0.1:0",
            $"-conntrack.path={RepoPaths.SampleConntrack}", $"-web.config.file={webConfigFile}"]);
        Assert.True(parsed.Success, parsed.Error);
        var app = TestExporter.Build(commandLine, new FakeTimeProvider(DateTimeOffset.UtcNow));
        await app.StartAsync();
        return new WebApp(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
