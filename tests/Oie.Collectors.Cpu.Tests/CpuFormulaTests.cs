using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.Cpu;

namespace Oie.Collectors.Cpu.Tests;

/// <summary>The number itself: (Δ CPU ns / Δ wall ns) × 100 / vCPUs, clamped, with the vCPU count's precedence.</summary>
public sealed class CpuFormulaTests
{
    private const long CpuSecond = 1_000_000_000;
    private readonly FakeTimeProvider _time = new();

    /// <summary>A baseline cycle at CPU 0, then one cycle <paramref name="wall"/> later at <paramref name="cpuNs"/>.</summary>
    private IReadOnlyList<RecordedSample> Measure(ICollector collector, InstanceBuilder vm, long cpuNs, TimeSpan wall)
    {
        var first = collector.Run(Cycle.Of(_time.GetTimestamp(), vm.Cpu(0, _time.GetTimestamp())));
        Assert.Empty(first.Samples);
        _time.Advance(wall);
        return collector.Run(Cycle.Of(_time.GetTimestamp(), vm.Cpu(cpuNs, _time.GetTimestamp()))).Of("oie_cpu_percent");
    }

    private double? Percent(InstanceBuilder vm, long cpuNs, TimeSpan wall) =>
        Measure(Plugin.Create<CpuCollector>(_time, "-cpu.min=0"), vm, cpuNs, wall) is [var only] ? only.Value : null;

    [Fact]
    public void Two_vcpus_busy_for_one_cpu_second_over_one_wall_second_is_50()
    {
        Assert.Equal(50.0, Percent(InstanceBuilder.Nova().FlavorVcpus(2), CpuSecond, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Wall_time_comes_from_the_sample_timestamps()
    {
        // 1 CPU second over 4 wall seconds on 1 vCPU.
        Assert.Equal(25.0, Percent(InstanceBuilder.Nova().FlavorVcpus(1), CpuSecond, TimeSpan.FromSeconds(4)));
    }

    [Fact]
    public void Timestamp_ticks_are_converted_with_the_context_time_providers_frequency()
    {
        var clock = new MillisecondClock();
        var collector = Plugin.Create<CpuCollector>(clock, "-cpu.min=0");
        var vm = InstanceBuilder.Nova().FlavorVcpus(1);
        collector.Run(Cycle.Of(0, vm.Cpu(0, sampledAt: 5_000)));
        // 2000 ticks of a 1 kHz clock = 2 s; 0.5 CPU s / 2 s = 25 %.
        var samples = collector.Run(Cycle.Of(2_000, vm.Cpu(CpuSecond / 2, sampledAt: 7_000))).Of("oie_cpu_percent");
        Assert.Equal(25.0, Assert.Single(samples).Value);
    }

    [Fact]
    public void More_cpu_time_than_vcpus_can_give_is_clamped_to_100()
    {
        Assert.Equal(100.0, Percent(InstanceBuilder.Nova().FlavorVcpus(2), 3 * CpuSecond, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void An_idle_instance_measures_0()
    {
        Assert.Equal(0.0, Percent(InstanceBuilder.Nova().FlavorVcpus(2), 0, TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(4, 2, 1, 12.5)] // the Nova flavor wins
    [InlineData(null, 2, 1, 25.0)] // else libvirt's count this cycle
    [InlineData(null, null, 1, 50.0)] // else the domain XML's <vcpu>
    [InlineData(0, 2, 1, 25.0)] // a zero flavor count is no count
    [InlineData(null, 0, 4, 12.5)] // a zero live count is no count
    public void Vcpus_come_from_the_flavor_else_libvirt_else_the_domain_xml(int? flavor, int? live, int domain, double expected)
    {
        var vm = InstanceBuilder.Nova().FlavorVcpus(flavor).LiveVcpus(live).DomainVcpus(domain);
        Assert.Equal(expected, Percent(vm, CpuSecond / 2, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void No_vcpu_count_at_all_gives_no_value_rather_than_a_division_by_zero()
    {
        var vm = InstanceBuilder.Nova().FlavorVcpus(null).LiveVcpus(null).DomainVcpus(0);
        Assert.Null(Percent(vm, CpuSecond, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Nova_instances_carry_domain_and_openstack_uuids_in_label_order()
    {
        var vm = InstanceBuilder.Nova("instance-0000002a", "uuid-i", "uuid-u", "uuid-p").FlavorVcpus(1);
        var sample = Assert.Single(Measure(Plugin.Create<CpuCollector>(_time), vm, CpuSecond / 2, TimeSpan.FromSeconds(1)));
        Assert.Equal(["instance-0000002a", "uuid-i", "uuid-u", "uuid-p"], sample.Labels);
        Assert.Equal("uuid-i", sample.Instance!.Facts.InstanceUuid);
    }

    [Fact]
    public void Non_nova_instances_carry_empty_openstack_labels()
    {
        var vm = InstanceBuilder.NonNova("plain-vm", "uuid-x").DomainVcpus(1);
        var sample = Assert.Single(Measure(Plugin.Create<CpuCollector>(_time), vm, CpuSecond / 2, TimeSpan.FromSeconds(1)));
        Assert.Equal(["plain-vm", "uuid-x", "", ""], sample.Labels);
    }

    private sealed class MillisecondClock : TimeProvider
    {
        public override long TimestampFrequency => 1_000;
        public override long GetTimestamp() => throw new InvalidOperationException("the collector must use SampledAt");
    }
}
