using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Oie.Abstractions;
using Oie.Conntrack;
using Oie.ThreatIntel;
using Oie.ThreatIntel.Benchmarks;

namespace Oie.Benchmarks;

/// <summary>
/// The whole conntrack pass with all four feeds on, at realistic sizes (~2k Tor, ~1.5k DROP CIDRs, ~1k ET, a 1M-entry
/// custom list): parse + attribute (keeping each attributed entry's remote) + the threat-contact stage's one matcher
/// lookup per remote + the contact samples.
/// </summary>
[MemoryDiagnoser]
public class ConntrackWithFeedsBenchmarks
{
    private byte[] _capture = [];
    private List<Instance> _instances = [];
    private ThreatContacts _contacts = null!;

    [GlobalSetup]
    public void Setup()
    {
        _capture = File.ReadAllBytes(ConntrackBenchmarks.CapturePath);
        _instances = CaptureGenerator.Instances();
        var feeds = RealisticFeeds.Build();
        var holder = new FeedMatcherHolder(feeds.Length);
        for (var bit = 0; bit < feeds.Length; bit++)
            holder.Publish(bit, feeds[bit]);
        string[] names = ["tor", "spamhaus", "emergingthreats", "customlist"];
        var families = names.Select(n => new MetricFamily($"oie_{n}_contact", n, MetricType.Gauge,
            "domain", "instance_uuid", "project_uuid", "user_uuid")).ToArray();
        _contacts = new ThreatContacts(holder, families, names, TimeProvider.System, NullLogger<ThreatContacts>.Instance);
    }

    [Benchmark]
    public long ParseAttributeAndMatchAllFeeds_Memory()
    {
        var index = FixedIpIndex.Build(_instances);
        var attribution = new FlowAttribution(index, recordContacts: true);
        ConntrackTableReader.Read(_capture, attribution);
        var snapshot = new CycleSnapshot
        {
            Timestamp = 0,
            LibvirtAvailable = true,
            Instances = _instances,
            Conntrack = new ConntrackTable
            {
                Read = ConntrackFamilies.Both,
                Slots = index.Slots,
                Counts = attribution.Counts,
                ContactsV4 = attribution.ContactsV4,
                ContactsV6 = attribution.ContactsV6,
            },
        };
        var writer = new CountingWriter();
        _contacts.Collect(snapshot, writer);
        return attribution.Flows + writer.Samples;
    }

    private sealed class CountingWriter : ISampleWriter
    {
        public long Samples { get; private set; }
        public void Write(MetricFamily family, Instance instance, double value, params ReadOnlySpan<string> labelValues) => Samples++;
        public void WriteHostSample(MetricFamily family, double value, params ReadOnlySpan<string> labelValues) => Samples++;
    }
}
