using Microsoft.Extensions.Logging.Abstractions;
using Oie.Conntrack.Reading;

namespace Oie.Conntrack.Tests;

/// <summary>
/// <c>-conntrack.source=events</c> against real kernel conntrack in namespaces this test creates: the table is changed
/// with <c>conntrack -I/-D</c> while the source runs, and every read must count what a fresh <c>conntrack -L</c> of the
/// namespace counts at that moment, also after events were lost. Skipped (with the reason) when not root.
/// </summary>
public sealed class EventsSourceTests
{
    private const string A4 = "10.77.0.1";
    private const string A6 = "fd00:77::1";
    private const string B4 = "10.77.0.2";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly Instance A = InstanceBuilder.Nova("ev-a", "00000000-0000-0000-0000-00000000000a").FixedIp(A4, 4).FixedIp(A6, 6);
    private static readonly Instance B = InstanceBuilder.Nova("ev-b", "00000000-0000-0000-0000-00000000000b").FixedIp(B4, 4);

    private static ConntrackNamespace Namespace(int events = 1)
    {
        string? missing = ConntrackNamespace.MissingPrerequisite();
        Skip.If(missing is not null, missing);
        return ConntrackNamespace.Create(events);
    }

    private static FixedIpIndex Index() => FixedIpIndex.Build([A, B]);

    /// <summary>Flow <paramref name="n"/>: inbound to A, outbound from A, inbound to B, IPv6 to A, every fifth in zone 5.</summary>
    private static (string Insert, string Delete) Flow(int n)
    {
        string remote4 = $"198.51.{(n / 200) % 250}.{(n % 200) + 1}";
        (string source, string destination) = (n % 4) switch
        {
            0 => (remote4, A4),
            1 => (A4, remote4),
            2 => (remote4, B4),
            _ => ($"2001:db8::{n:x}", A6),
        };
        string tuple = $"-s {source} -d {destination} -p udp --sport {1024 + (n % 60000)} --dport 53" + (n % 5 == 0 ? " --zone 5" : "");
        return ($"-I {tuple} --timeout 3600", $"-D {tuple}");
    }

    private static (int[] Counts, long Entries) Listed(ConntrackNamespace ns)
    {
        var attribution = new FlowAttribution(Index());
        ConntrackReadResult result = ConntrackTableReader.Read(ns.List(), attribution);
        Assert.Equal(0, result.Malformed);
        return (attribution.Counts, result.Flows);
    }

    private static FlowAttribution ReadOk(EventsConntrackSource source, out ConntrackReadResult result)
    {
        var attribution = new FlowAttribution(Index(), recordContacts: true);
        ListingRead listing = Assert.Single(source.Read(attribution, CancellationToken.None));
        Assert.Null(listing.Error);
        Assert.Equal(ConntrackFamilies.Both, listing.Families);
        result = listing.Result;
        return attribution;
    }

    private static void AssertMatchesListing(ConntrackNamespace ns, FlowAttribution read, ConntrackReadResult result)
    {
        (int[] counts, long entries) = Listed(ns);
        Assert.Equal(entries, result.Flows);
        Assert.Equal(counts, read.Counts);
    }

    [SkippableFact]
    public void Counts_equal_a_fresh_listing_at_each_read_while_flows_are_added_and_deleted()
    {
        using ConntrackNamespace ns = Namespace();
        var live = new List<int>();
        ns.Batch(Enumerable.Range(0, 400).Select(n => Flow(n).Insert));
        live.AddRange(Enumerable.Range(0, 400));
        // The whole path: options as the flags make them, the reader, the table the cycle gets.
        using var reader = new ConntrackReader(
            new ConntrackSourceOptions { Source = ConntrackSourceKind.Events, Netns = ns.Name, Timeout = Timeout },
            NullLogger<ConntrackReader>.Instance);
        Assert.Equal(EventsConntrackSource.ResyncReasons, reader.ResyncReasons);

        var random = new Random(19);
        int next = 400;
        for (int round = 0; round < 4; round++)
        {
            ConntrackTable table = reader.Read(Index(), recordContacts: false);
            Assert.Empty(table.Errors);
            Assert.Empty(table.Resyncs);
            (int[] counts, long entries) = Listed(ns);
            Assert.Equal(entries, table.Entries);
            Assert.Equal(counts, table.Counts);
            Assert.Equal(live.Count, entries);

            var deleted = live.OrderBy(_ => random.Next()).Take(40).ToList();
            var added = Enumerable.Range(next, 60).ToList();
            next += 60;
            ns.Batch(deleted.Select(n => Flow(n).Delete).Concat(added.Select(n => Flow(n).Insert)));
            live.RemoveAll(deleted.Contains);
            live.AddRange(added);
        }
    }

    [SkippableFact]
    public void A_flow_that_began_and_ended_between_two_reads_is_a_contact_but_not_counted()
    {
        using ConntrackNamespace ns = Namespace();
        ns.Batch([Flow(0).Insert]);
        using var source = new EventsConntrackSource(ns.Name, Timeout, TimeSpan.FromHours(1), NullLogger.Instance);
        FlowAttribution first = ReadOk(source, out ConntrackReadResult result);
        AssertMatchesListing(ns, first, result);

        const string Brief = "-s 203.0.113.7 -d 10.77.0.1 -p tcp --sport 5555 --dport 22";
        ns.Batch([$"-I {Brief} --state ESTABLISHED --timeout 3600", $"-D {Brief}"]);
        FlowAttribution second = ReadOk(source, out result);

        AssertMatchesListing(ns, second, result);
        Assert.Equal([1, 0, 0], second.Counts);
        Assert.Contains(new ContactV4((uint)IpKey.Parse("203.0.113.7").Value, 0, outbound: false), second.ContactsV4.ToArray());
        Assert.Empty(source.TakeResyncs());
    }

    [SkippableFact]
    public void Lost_events_resync_and_the_count_is_right_never_partial()
    {
        using ConntrackNamespace ns = Namespace();
        ns.Batch(Enumerable.Range(0, 10).Select(n => Flow(n).Insert));
        // The smallest receive buffer the kernel allows holds a handful of events: a burst overruns it.
        using var source = new EventsConntrackSource(ns.Name, Timeout, TimeSpan.FromHours(1), NullLogger.Instance, eventBuffer: 1);
        FlowAttribution read = ReadOk(source, out ConntrackReadResult result);
        AssertMatchesListing(ns, read, result);
        Assert.Empty(source.TakeResyncs());

        ns.Batch(Enumerable.Range(10, 3000).Select(n => Flow(n).Insert));
        read = ReadOk(source, out result);
        Assert.Equal([EventsConntrackSource.Overflow], source.TakeResyncs());
        AssertMatchesListing(ns, read, result);
        Assert.Equal(3010, result.Flows);

        ns.Batch(Enumerable.Range(0, 2000).Select(n => Flow(n).Delete));
        read = ReadOk(source, out result);
        Assert.Equal([EventsConntrackSource.Overflow], source.TakeResyncs());
        AssertMatchesListing(ns, read, result);
        Assert.Equal(1010, result.Flows);

        // A quiet read after a resync follows events again.
        ns.Batch([Flow(5000).Insert]);
        read = ReadOk(source, out result);
        Assert.Empty(source.TakeResyncs());
        AssertMatchesListing(ns, read, result);
    }

    [SkippableFact]
    public void The_periodic_resync_rebuilds_the_table_and_is_counted()
    {
        using ConntrackNamespace ns = Namespace();
        ns.Batch(Enumerable.Range(0, 20).Select(n => Flow(n).Insert));
        using var source = new EventsConntrackSource(ns.Name, Timeout, TimeSpan.FromTicks(1), NullLogger.Instance);
        ReadOk(source, out _);
        Assert.Empty(source.TakeResyncs()); // the first build is no resync

        ns.Batch([Flow(3).Delete]);
        FlowAttribution read = ReadOk(source, out ConntrackReadResult result);
        Assert.Equal([EventsConntrackSource.Periodic], source.TakeResyncs());
        AssertMatchesListing(ns, read, result);
        Assert.Equal(19, result.Flows);
    }

    [SkippableFact]
    public void Events_turned_off_in_the_namespace_fail_the_read_and_say_what_to_set()
    {
        using ConntrackNamespace ns = Namespace(events: 0);
        using var source = new EventsConntrackSource(ns.Name, Timeout, TimeSpan.FromHours(1), NullLogger.Instance);
        for (int attempt = 0; attempt < 2; attempt++)
        {
            ListingRead listing = Assert.Single(source.Read(new FlowAttribution(Index()), CancellationToken.None));
            Assert.NotNull(listing.Error);
            Assert.Contains($"net.netfilter.nf_conntrack_events is 0 in network namespace {ns.Name}", listing.Error, StringComparison.Ordinal);
            Assert.Contains("set it to 1", listing.Error, StringComparison.Ordinal);
            Assert.Empty(source.TakeResyncs()); // never in sync, so nothing was resynced
        }
    }
}
