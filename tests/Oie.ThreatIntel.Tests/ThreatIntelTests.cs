using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace Oie.ThreatIntel.Tests;

public class ThreatIntelTests
{
    [Fact]
    public async Task Composes_refreshers_matcher_families_and_contacts_for_the_host()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("tor.txt"), "185.220.101.1\n");
        await File.WriteAllTextAsync(dir.File("custom.txt"), "# ours\n185.220.101.1\n2001:db8::/32\n");
        var registry = Metrics.NewCustomRegistry();
        var log = new CapturingLogger();
        using var intel = new ThreatIntel(
            [new LineFeed("tor", TimeSpan.FromHours(6), new Uri(dir.File("tor.txt"))),
             new LineFeed("customlist", TimeSpan.FromHours(6), new Uri(dir.File("custom.txt")))],
            dir.File("cache"), registry, log, new FakeTimeProvider());

        Assert.Equal(["oie_tor_contact", "oie_customlist_contact"], intel.ContactFamilies.Select(f => f.Name));
        Assert.Equal(2, intel.HostedServices.Count);
        var passes = Channel.CreateUnbounded<RefreshPass>();
        foreach (var refresher in intel.Refreshers)
            refresher.Passes = passes;
        foreach (var service in intel.HostedServices)
            await service.StartAsync(CancellationToken.None);
        await passes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await passes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0b11u, intel.Matcher.Current.LookupV4(Ip.V4("185.220.101.1")));
        Assert.Equal(0b10u, intel.Matcher.Current.LookupV6(Ip.V6("2001:db8::99")));

        var contacts = intel.CreateContacts();
        var instance = InstanceBuilder.Nova().Build();
        var writer = contacts.Run(new ConntrackTableBuilder().Slot(instance, "10.0.0.5").Contact(0, "185.220.101.1").Snapshot());
        Assert.Equal(["oie_tor_contact", "oie_customlist_contact"], writer.Names);

        using var scrape = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(scrape);
        var text = Encoding.UTF8.GetString(scrape.ToArray());
        Assert.Contains("oie_exporter_feed_entries{feed=\"customlist\"} 2", text);
        Assert.Contains("oie_exporter_feed_fresh{feed=\"tor\"} 1", text);
        Assert.Contains("oie_exporter_feed_refresh_errors_total{feed=\"tor\"} 0", text);
        Assert.Contains("# TYPE oie_exporter_feed_last_success_timestamp_seconds gauge", text);

        foreach (var service in intel.HostedServices)
            await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void Rejects_a_feed_enabled_twice_and_more_than_32_feeds()
    {
        var feed = new LineFeed("tor", TimeSpan.FromHours(1));
        Assert.Throws<ArgumentException>(() => new ThreatIntel([feed, feed], null, Metrics.NewCustomRegistry(), new CapturingLogger(), TimeProvider.System));
        var many = Enumerable.Range(0, 33).Select(i => (IThreatFeed)new LineFeed($"f{i}", TimeSpan.FromHours(1))).ToList();
        Assert.Throws<ArgumentException>(() => new ThreatIntel(many, null, Metrics.NewCustomRegistry(), new CapturingLogger(), TimeProvider.System));
    }

    [Fact]
    public void Flags_have_the_documented_defaults_and_parse()
    {
        var flags = new FlagSet();
        var intel = ThreatIntelFlags.Define(flags);
        Assert.Equal("/var/lib/openstack_instance_exporter/feeds", intel.CacheDir.Value);
        Assert.Equal(64L * 1024 * 1024, intel.FetchOptions.MaxBytes);
        Assert.Equal(TimeSpan.FromSeconds(60), intel.FetchOptions.RequestTimeout);
        Assert.True(flags.Parse(["-feeds.cache-dir=/tmp/feeds", "-feeds.max-size-mb", "8", "-feeds.timeout=5s"]).Success);
        Assert.Equal("/tmp/feeds", intel.CacheDir.Value);
        Assert.Equal(8L * 1024 * 1024, intel.FetchOptions.MaxBytes);
        Assert.Equal(TimeSpan.FromSeconds(5), intel.FetchOptions.ConnectTimeout);
        var strict = new FlagSet();
        ThreatIntelFlags.Define(strict);
        Assert.False(strict.Parse(["-feeds.max-size-mb=0"]).Success);
    }
}
