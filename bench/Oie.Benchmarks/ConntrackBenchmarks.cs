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

    public static string CapturePath =>
        Environment.GetEnvironmentVariable("OIE_BENCH_CAPTURE") is { Length: > 0 } path ? path : "/var/tmp/oie-conntrack-bench/capture-1M.txt";

    [GlobalSetup]
    public void Setup()
    {
        _capture = File.ReadAllBytes(CapturePath);
        _instances = CaptureGenerator.Instances();
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
