using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.Conntrack;

namespace Oie.Collectors.Conntrack.Tests;

/// <summary>Names, help, types, label order and flags are a contract with dashboards and command lines.</summary>
public sealed class ConntrackContractTests
{
    [Fact]
    public void Families_names_help_types_and_labels()
    {
        var families = Plugin.Create<ConntrackCollector>(new FakeTimeProvider(), "-conntrack.path=/dev/null").Families;
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
    [InlineData("conntrack.min", "20")]
    [InlineData("conntrack.path", "\"\"")]
    [InlineData("conntrack.command", "\"conntrack\"")]
    [InlineData("conntrack.timeout", "\"0s\"")]
    [InlineData("conntrack.source", "\"cli\"")]
    [InlineData("conntrack.netns", "\"\"")]
    public void Flags_and_defaults(string name, string defaultText)
    {
        Assert.True(Plugin.FlagsOf<ConntrackCollector>().TryGet(name, out var flag));
        Assert.Equal(defaultText, flag.DefaultText);
        Assert.DoesNotContain("not implemented", flag.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_plugin_defines_exactly_its_six_flags()
    {
        Assert.Equal(["conntrack.command", "conntrack.min", "conntrack.netns", "conntrack.path", "conntrack.source", "conntrack.timeout"],
            Plugin.FlagsOf<ConntrackCollector>().Flags.Select(f => f.Name));
    }
}
