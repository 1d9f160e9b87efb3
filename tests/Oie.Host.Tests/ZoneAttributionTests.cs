using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Oie.Abstractions;
using Oie.Generated;
using Oie.Host.CommandLine;

namespace Oie.Host.Tests;

/// <summary>
/// The whole exporter against <see cref="ZoneLab"/>: two tenants' instances share 10.0.0.5; real kernel entries sit in
/// each tenant port's zone as OVN, the OVS agent or iptables_hybrid assigned it. With the zones read from that backend
/// each instance gets exactly its own count and only tenant b the custom-list contact; without them both get
/// everything, and the exporter says the address is ambiguous.
/// </summary>
public sealed class ZoneAttributionTests(ZoneLab lab) : IClassFixture<ZoneLab>
{
    private static readonly string[] Own = ["tenant-a-vm 3", "tenant-b-vm 5"];
    private static readonly string[] Everything = ["tenant-a-vm 8", "tenant-b-vm 8"];

    private string[] OvnTable => [$"-conntrack.command=ip netns exec {lab.OvnTable} conntrack", $"-ovs.db={lab.Chassis.Db}"];

    [SkippableFact]
    public async Task Ovn_zones_give_each_instance_its_own_entries_and_contacts()
    {
        var body = await Scrape([.. OvnTable, "-conntrack.zones=ovn"]);
        Assert.Equal(Own, IpTotals(body));
        Assert.Equal(["tenant-b-vm"], Contacts(body));
        Assert.Contains("\noie_exporter_ambiguous_fixed_ips 0\n", body);
        Assert.Matches(@"\noie_exporter_conntrack_zone_ports\{backend=""ovn""\} [2-9]\n", body);
        Assert.Contains("\noie_exporter_collection_errors_total{source=\"zones\"} 0\n", body);
    }

    [SkippableFact]
    public async Task The_netlink_source_reads_the_same_zones()
    {
        var body = await Scrape(["-conntrack.source=netlink", $"-conntrack.netns={lab.OvnTable}", $"-ovs.db={lab.Chassis.Db}", "-conntrack.zones=ovn"]);
        Assert.Equal(Own, IpTotals(body));
        Assert.Equal(["tenant-b-vm"], Contacts(body));
    }

    [SkippableFact]
    public async Task Auto_finds_ovn_on_the_node()
    {
        var body = await Scrape(OvnTable);
        Assert.Equal(Own, IpTotals(body));
        Assert.Equal(["tenant-b-vm"], Contacts(body));
    }

    [SkippableFact]
    public async Task Without_zones_both_claimants_get_every_entry_and_the_address_is_reported()
    {
        var body = await Scrape([.. OvnTable, "-conntrack.zones=none"]);
        Assert.Equal(Everything, IpTotals(body));
        Assert.Equal(["tenant-a-vm", "tenant-b-vm"], Contacts(body));
        Assert.Contains("\noie_exporter_ambiguous_fixed_ips 1\n", body);
        Assert.DoesNotContain("oie_exporter_conntrack_zone_ports{", body);
    }

    [SkippableFact]
    public async Task Ovs_agent_vlan_tags_give_each_instance_its_own_entries()
    {
        var body = await Scrape([$"-conntrack.command=ip netns exec {lab.OvsTable} conntrack", $"-ovs.db={lab.OvsDb}", "-conntrack.zones=ovs"]);
        Assert.Equal(Own, IpTotals(body));
        Assert.Equal(["tenant-b-vm"], Contacts(body));
        Assert.Contains("\noie_exporter_conntrack_zone_ports{backend=\"ovs\"} 2\n", body);
    }

    [SkippableFact]
    public async Task Iptables_hybrid_raw_rules_give_each_instance_its_own_entries()
    {
        var body = await Scrape([$"-conntrack.command=ip netns exec {lab.RawTable} conntrack",
            $"-iptables.command=ip netns exec {lab.RawTable} iptables-save", "-conntrack.zones=iptables"]);
        Assert.Equal(Own, IpTotals(body));
        Assert.Equal(["tenant-b-vm"], Contacts(body));
        Assert.Contains("\noie_exporter_conntrack_zone_ports{backend=\"iptables\"} 2\n", body);
    }

    [SkippableFact]
    public async Task An_unreachable_ovsdb_falls_back_to_addresses_is_counted_and_the_cycle_goes_on()
    {
        var body = await Scrape([$"-conntrack.command=ip netns exec {lab.OvnTable} conntrack", "-ovs.db=unix:/nonexistent/oie/db.sock",
            "-conntrack.zones=ovn"]);
        Assert.Equal(Everything, IpTotals(body));
        Assert.Contains("\noie_exporter_ambiguous_fixed_ips 1\n", body);
        Assert.Matches(@"\noie_exporter_collection_errors_total\{source=""zones""\} [1-9]", body);
        Assert.Contains("\noie_exporter_conntrack_zone_ports{backend=\"ovn\"} 0\n", body);
        Assert.Contains("\noie_exporter_collector_success{collector=\"conntrack\"} 1\n", body);
        Assert.DoesNotContain("\noie_exporter_last_successful_collection_timestamp_seconds 0\n", body);
    }

    [SkippableFact]
    public async Task A_feed_without_the_conntrack_collector_still_reads_the_table_for_its_contacts()
    {
        var body = await Scrape([.. OvnTable, "-conntrack.zones=ovn", "-collector.conntrack=false"]);
        Assert.Empty(IpTotals(body));
        Assert.DoesNotContain("oie_conntrack_entries", body);
        Assert.Equal(["tenant-b-vm"], Contacts(body));
        Assert.Contains("\noie_exporter_collector_success{collector=\"threat_contacts\"} 1\n", body);
    }

    /// <summary>Runs the exporter in-process over the lab until a cycle with the custom list in force, and scrapes it.</summary>
    private async Task<string> Scrape(string[] args)
    {
        Skip.If(lab.SkipReason is not null, lab.SkipReason);
        await using var exporter = await InProcessExporter.StartAsync(
        [
            $"-libvirt.uri=test://{lab.Node}", "-conntrack.min=1",
            "-customlist.enable", $"-customlist.path={lab.CustomList}", $"-feeds.cache-dir={lab.FeedCache}", .. args,
        ]);
        await exporter.AdvanceOneIntervalAsync(); // a cycle with the list in force
        return await exporter.ScrapeTextAsync();
    }

    /// <summary>"domain count" of each oie_conntrack_ip_total sample for the shared address.</summary>
    private static string[] IpTotals(string body) =>
        [.. Samples(body, "oie_conntrack_ip_total{").Where(l => l.Contains($"ip=\"{ZoneLab.SharedIp}\"", StringComparison.Ordinal))
            .Select(l => $"{Label(l, "domain")} {l[(l.LastIndexOf(' ') + 1)..]}").Order(StringComparer.Ordinal)];

    /// <summary>The domains with an oie_customlist_contact sample, each checked to carry its own project.</summary>
    private static string[] Contacts(string body) =>
        [.. Samples(body, "oie_customlist_contact{").Select(l =>
        {
            var domain = Label(l, "domain");
            Assert.Equal(domain == "tenant-a-vm" ? ZoneLab.ProjectA : ZoneLab.ProjectB, Label(l, "project_uuid"));
            return domain;
        }).Order(StringComparer.Ordinal)];

    private static IEnumerable<string> Samples(string body, string prefix) =>
        body.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal));

    private static string Label(string line, string name)
    {
        var start = line.IndexOf($"{name}=\"", StringComparison.Ordinal) + name.Length + 2;
        return line[start..line.IndexOf('"', start)];
    }
}
