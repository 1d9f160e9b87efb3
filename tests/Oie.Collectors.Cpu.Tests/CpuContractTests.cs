using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.Cpu;
using Snapshooter.Xunit;

namespace Oie.Collectors.Cpu.Tests;

/// <summary>Names, help, types, label order and flags are a contract with operators' dashboards and command lines.</summary>
public sealed class CpuContractTests
{
    [Fact]
    public void Families_and_flags_match_the_snapshot()
    {
        var collector = Plugin.Create<CpuCollector>(new FakeTimeProvider());
        Snapshot.Match(Contract.Of<CpuCollector>(collector));
    }

    [Fact]
    public void Cpu_percent_is_a_gauge_labelled_domain_instance_user_project()
    {
        var family = Assert.Single(Plugin.Create<CpuCollector>(new FakeTimeProvider()).Families);
        Assert.Equal("oie_cpu_percent", family.Name);
        Assert.Equal("CPU usage percentage", family.Help);
        Assert.Equal(MetricType.Gauge, family.Type);
        Assert.Equal(CacheLifetime.Dynamic, family.Lifetime);
        Assert.Equal(["domain", "instance_uuid", "user_uuid", "project_uuid"], family.LabelNames.ToArray());
    }

    [Fact]
    public void Cpu_min_defaults_to_10_and_rejects_non_numbers()
    {
        Assert.True(Plugin.FlagsOf<CpuCollector>().TryGet("cpu.min", out var flag));
        Assert.Equal("10", flag.DefaultText);
        var result = Plugin.Parse<CpuCollector>("-cpu.min=ten");
        Assert.False(result.Success);
        Assert.Contains("-cpu.min", result.Error);
    }
}
