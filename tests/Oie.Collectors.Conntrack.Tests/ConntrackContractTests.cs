using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.Conntrack;

namespace Oie.Collectors.Conntrack.Tests;

/// <summary>Names, help, types, label order and flags are a contract with dashboards and command lines.</summary>
public sealed class ConntrackContractTests
{
    [Fact]
    public void Families_names_help_types_and_labels()
    {
        var families = Plugin.Create<ConntrackCollector>(new FakeTimeProvider()).Families;
        Assert.Equal(
            [
                ("oie_conntrack_ip_total", "Conntrack entries matched to this fixed IP", MetricType.Gauge),
                ("oie_conntrack_entries", "Conntrack entries read from the host table in the last cycle", MetricType.Gauge),
                ("oie_conntrack_max", "Size of the host conntrack table (net.netfilter.nf_conntrack_max)", MetricType.Gauge),
                ("oie_conntrack_malformed_lines", "Conntrack lines skipped as malformed in the last cycle", MetricType.Gauge),
            ],
            families.Select(f => (f.Name, f.Help, f.Type)));
        Assert.Equal(["domain", "instance_uuid", "ip", "family", "project_uuid", "user_uuid"], families[0].LabelNames.ToArray());
        Assert.All(families.Skip(1), f => Assert.Empty(f.LabelNames));
        Assert.All(families, f => Assert.Equal(CacheLifetime.Dynamic, f.Lifetime));
    }

    [Theory]
    [InlineData("conntrack.path", "\"\"")]
    [InlineData("conntrack.command", "\"conntrack\"")]
    [InlineData("conntrack.timeout", "0s")]
    [InlineData("conntrack.source", "\"cli\"")]
    [InlineData("conntrack.netns", "\"\"")]
    [InlineData("conntrack.events.resync", "10m")]
    public void Table_source_flags_and_defaults(string name, string defaultText)
    {
        var flags = new FlagSet();
        _ = new Oie.Conntrack.Reading.ConntrackSourceFlags(flags);
        Assert.True(flags.TryGet(name, out var flag));
        Assert.Equal(defaultText, flag.DefaultText);
        Assert.DoesNotContain("not implemented", flag.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_plugin_defines_only_its_threshold_since_the_host_reads_the_table()
    {
        var flag = Assert.Single(Plugin.FlagsOf<ConntrackCollector>().Flags);
        Assert.Equal(("conntrack.min", "20"), (flag.Name, flag.DefaultText));
    }
}
