using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.Cpu;

namespace Oie.Collectors.Cpu.Tests;

/// <summary>The per-instance baseline: first samples, resets, gaps, and forgetting instances that are gone.</summary>
public sealed class CpuBaselineTests
{
    private const long CpuSecond = 1_000_000_000;
    private readonly FakeTimeProvider _time = new();
    private readonly CpuCollector _collector;

    public CpuBaselineTests() => _collector = (CpuCollector)Plugin.Create<CpuCollector>(_time, "-cpu.min=0");

    private InstanceBuilder Vm(long? cpuNs, string uuid = "uuid-a") =>
        InstanceBuilder.Nova(domain: "vm-" + uuid, uuid: uuid).FlavorVcpus(1).Cpu(cpuNs, _time.GetTimestamp());

    /// <summary>Advances the clock one second and runs a cycle listing <paramref name="vms"/>.</summary>
    private IReadOnlyList<RecordedSample> Next(params Instance[] vms)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        return _collector.Run(Cycle.Of(_time.GetTimestamp(), vms)).Samples;
    }

    [Fact]
    public void The_first_sample_of_an_instance_gives_no_value()
    {
        Assert.Empty(Next(Vm(5 * CpuSecond)));
        Assert.Single(Next(Vm(5 * CpuSecond + CpuSecond / 2)));
    }

    [Fact]
    public void A_counter_that_goes_backwards_restarts_the_baseline_instead_of_spiking()
    {
        Next(Vm(100 * CpuSecond));
        Assert.Equal(50.0, Assert.Single(Next(Vm(100 * CpuSecond + CpuSecond / 2))).Value);
        Assert.Empty(Next(Vm(CpuSecond / 10))); // guest restarted under the same UUID
        Assert.Equal(30.0, Assert.Single(Next(Vm(CpuSecond / 10 + 3 * CpuSecond / 10))).Value, 9);
    }

    [Fact]
    public void A_missing_counter_gives_no_value_and_keeps_the_old_baseline()
    {
        Next(Vm(0));
        Assert.Empty(Next(Vm(null)));
        // Measured across the gap: 1 CPU second over 2 wall seconds.
        Assert.Equal(50.0, Assert.Single(Next(Vm(CpuSecond))).Value);
    }

    [Fact]
    public void An_instance_absent_from_a_cycle_is_forgotten_and_starts_over_when_it_returns()
    {
        Next(Vm(0));
        Next(Vm(0, "uuid-other"));
        Assert.Empty(Next(Vm(CpuSecond / 2)));
        Assert.Single(Next(Vm(CpuSecond)));
    }

    [Fact]
    public void A_returning_instance_is_a_first_value_again_for_suppression()
    {
        Next(Vm(0));
        Assert.Equal(50.0, Assert.Single(Next(Vm(CpuSecond / 2))).Value);
        Next(Vm(0, "uuid-other"));
        Next(Vm(CpuSecond));
        // 50 again: had the old export survived, this would be suppressed as a repeat.
        Assert.Equal(50.0, Assert.Single(Next(Vm(CpuSecond + CpuSecond / 2))).Value);
    }

    [Fact]
    public void State_stays_flat_as_instances_come_and_go()
    {
        for (var i = 0; i < 200; i++)
            Next(Vm(i * CpuSecond, $"uuid-{i}"), Vm(i * CpuSecond, $"uuid-{i + 1}"));
        Assert.Equal(2, _collector.TrackedInstances);
    }

    [Fact]
    public void A_cycle_without_libvirt_writes_nothing_and_forgets_nothing()
    {
        Next(Vm(0));
        _time.Advance(TimeSpan.FromSeconds(1));
        var down = new CycleSnapshot { Timestamp = _time.GetTimestamp(), LibvirtAvailable = false, Instances = [Vm(CpuSecond)] };
        Assert.Empty(_collector.Run(down).Samples);
        Assert.Empty(_collector.Run(Cycle.LibvirtDown(_time.GetTimestamp())).Samples);
        Assert.Equal(1, _collector.TrackedInstances);
        // Measured from the last real cycle: 1 CPU second over 2 wall seconds.
        Assert.Equal(50.0, Assert.Single(Next(Vm(CpuSecond))).Value);
    }
}
