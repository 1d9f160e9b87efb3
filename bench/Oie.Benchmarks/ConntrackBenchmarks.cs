using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using Oie.Abstractions;
using Oie.Conntrack;

namespace Oie.Benchmarks;

/// <summary>One collection cycle over the capture: parse only, and parse + attribute (index build included), from
/// memory and from the file through a PipeReader.</summary>
[MemoryDiagnoser]
public class ConntrackBenchmarks
{
    private byte[] _capture = [];
    private List<Instance> _instances = [];
    private List<Instance> _tenants = [];

    public static string CapturePath =>
        Environment.GetEnvironmentVariable("OIE_BENCH_CAPTURE") is { Length: > 0 } path ? path : "/var/tmp/oie-conntrack-bench/capture-1M.txt";

    [GlobalSetup]
    public void Setup()
    {
        _capture = File.ReadAllBytes(CapturePath);
        _instances = CaptureGenerator.Instances();
        _tenants = [.. CaptureGenerator.Instances(), .. CaptureGenerator.Instances(tenant: 1)];
    }

    [Benchmark]
    public long ParseOnly_Memory()
    {
        var sink = new CountingSink();
        return ConntrackTableReader.Read(_capture, sink).Flows + sink.Checksum;
    }

    [Benchmark(Baseline = true)]
    public long ParseAndAttribute_Memory()
    {
        var attribution = new FlowAttribution(FixedIpIndex.Build(_instances));
        ConntrackTableReader.Read(_capture, attribution);
        return Matched(attribution);
    }

    /// <summary>Two tenants hold every address; their ports' zones tell their entries apart (index build included).
    /// Over a capture without zones every entry falls back to its address and counts for both.</summary>
    [Benchmark]
    public long ParseAndAttributeByZone_Memory()
    {
        var attribution = new FlowAttribution(FixedIpIndex.Build(_tenants, SequentialZones.Instance));
        ConntrackTableReader.Read(_capture, attribution);
        return Matched(attribution);
    }

    [Benchmark]
    public async Task<long> ParseOnly_File()
    {
        var sink = new CountingSink();
        return (await ReadFileAsync(sink)).Flows + sink.Checksum;
    }

    [Benchmark]
    public async Task<long> ParseAndAttribute_File()
    {
        var attribution = new FlowAttribution(FixedIpIndex.Build(_instances));
        await ReadFileAsync(attribution);
        return Matched(attribution);
    }

    private static async Task<ConntrackReadResult> ReadFileAsync<TSink>(TSink sink)
        where TSink : IFlowSink
    {
        await using var stream = new FileStream(CapturePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        PipeReader reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        try
        {
            return await ConntrackTableReader.ReadAsync(reader, sink, CancellationToken.None);
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static long Matched(FlowAttribution attribution)
    {
        long matched = 0;
        foreach (int count in attribution.Counts)
        {
            matched += count;
        }

        return matched;
    }

    private sealed class CountingSink : IFlowSink
    {
        public long Checksum { get; private set; }

        public void OnFlow(in ConntrackFlow flow) => Checksum += flow.Protocol;
    }
}

/// <summary>The zones of <see cref="CaptureGenerator.Zone"/>: port (tenant, i) → tenant × 2000 + i + 1.</summary>
internal sealed class SequentialZones : IPortZones
{
    public static readonly SequentialZones Instance = new();

    public bool TryGetZone(string portId, out ushort zone)
    {
        int tenant = int.Parse(portId.AsSpan(0, 8), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        int instance = int.Parse(portId.AsSpan(24), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        zone = CaptureGenerator.Zone(tenant, instance);
        return true;
    }

    public bool IsKnownZone(ushort zone) => zone is >= 1 and <= 4000;
}
