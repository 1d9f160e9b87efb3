using System.Text.Json;

namespace Oie.EndToEnd.Tests;

/// <summary>
/// A real Prometheus (Debian's) on a free 127.0.0.1 port with its own data directory, scraping one target every second
/// under the job name of deploy/prometheus/prometheus.yml, optionally loading a rule file. Queried over its HTTP API.
/// Dispose kills it by PID.
/// </summary>
internal sealed class PrometheusServer : IDisposable
{
    public const string Job = "openstack_instance_exporter";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };
    private readonly Daemon _daemon;

    private PrometheusServer(Daemon daemon, int port)
    {
        _daemon = daemon;
        Port = port;
    }

    public int Port { get; }
    private string Base => $"http://127.0.0.1:{Port}";

    public static async Task<PrometheusServer> StartAsync(RunDirectory run, string target, string? ruleFile)
    {
        var port = FreePort.Next();
        var data = run.File("prometheus-data");
        Directory.CreateDirectory(data);
        var rules = ruleFile is null ? "" : $"rule_files: ['{ruleFile}']\n";
        var config = run.Write("prometheus.yml", $$"""
            global: {scrape_interval: 1s, scrape_timeout: 900ms, evaluation_interval: 1s}
            {{rules}}scrape_configs:
              - job_name: {{Job}}
                static_configs: [{targets: ['{{target}}']}]
            """);
        var daemon = Daemon.Start(run, "prometheus", "prometheus", $"--config.file={config}", $"--storage.tsdb.path={data}",
            $"--web.listen-address=127.0.0.1:{port}");
        var server = new PrometheusServer(daemon, port);
        try
        {
            await Poll.UntilAsync(async () => daemon.HasExited || await server.ReadyAsync(), TimeSpan.FromSeconds(60),
                () => Task.FromResult(daemon.Log()));
            if (daemon.HasExited)
                throw new InvalidOperationException("prometheus exited at start\n" + daemon.Log());
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    private async Task<bool> ReadyAsync()
    {
        try
        {
            using var response = await Http.GetAsync(Base + "/-/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>An instant query; throws with Prometheus's error when it does not parse or fails.</summary>
    public async Task<IReadOnlyList<JsonElement>> QueryAsync(string expr)
    {
        var (ok, result, error) = await TryQueryAsync(expr);
        return ok ? result : throw new InvalidOperationException($"query `{expr}` failed: {error}");
    }

    public async Task<(bool Ok, IReadOnlyList<JsonElement> Result, string Error)> TryQueryAsync(string expr)
    {
        using var response = await Http.GetAsync($"{Base}/api/v1/query?query={Uri.EscapeDataString(expr)}");
        var body = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (root.GetProperty("status").GetString() != "success")
            return (false, [], $"{root.GetProperty("errorType").GetString()}: {root.GetProperty("error").GetString()}");
        var data = root.GetProperty("data");
        var result = data.GetProperty("result");
        // A scalar or string result is a [time, value] pair, not a vector: count it as one element of data.
        return result.ValueKind == JsonValueKind.Array && data.GetProperty("resultType").GetString() is "vector" or "matrix"
            ? (true, [.. result.EnumerateArray().Select(e => e.Clone())], "")
            : (true, [result.Clone()], "");
    }

    /// <summary>The value of a vector element as a double.</summary>
    public static double ValueOf(JsonElement element) =>
        double.Parse(element.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    public static string LabelOf(JsonElement element, string label) =>
        element.GetProperty("metric").TryGetProperty(label, out var value) ? value.GetString() ?? "" : "";

    public async Task<JsonElement> GetAsync(string path)
    {
        var body = await Http.GetStringAsync(Base + path);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    public string Log() => _daemon.Log();

    public void Dispose() => _daemon.Dispose();
}
