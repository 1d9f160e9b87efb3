using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.Cpu;

namespace Oie.Collectors.Cpu.Tests;

/// <summary>
/// The seed's rules, in order: below -cpu.min → not exported; first value → exported; previous export 0 and current 0
/// → not; equal to the previous export → not; otherwise exported.
/// </summary>
public sealed class CpuSuppressionTests
{
    private readonly FakeTimeProvider _time = new();

    /// <summary>
    /// Feeds one 1-vCPU instance a baseline and then one cycle per entry of <paramref name="percents"/> (each 1 s of
    /// wall time at that usage); returns what each of those cycles exported (null = nothing).
    /// </summary>
    private double?[] Exports(string[] args, params double[] percents)
    {
        var collector = Plugin.Create<CpuCollector>(_time, args);
        long cpuNs = 0;
        collector.Run(Cycle.Of(_time.GetTimestamp(), Vm(cpuNs)));
        var exported = new double?[percents.Length];
        for (var i = 0; i < percents.Length; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            cpuNs += (long)(percents[i] * 10_000_000); // percent of one CPU second
            var samples = collector.Run(Cycle.Of(_time.GetTimestamp(), Vm(cpuNs))).Of("oie_cpu_percent");
            exported[i] = samples is [var only] ? only.Value : samples.Count == 0 ? null : throw new InvalidOperationException("two samples");
        }
        return exported;
    }

    private InstanceBuilder Vm(long cpuNs) => InstanceBuilder.Nova().FlavorVcpus(1).Cpu(cpuNs, _time.GetTimestamp());

    [Fact]
    public void The_exported_value_is_rounded_to_2_decimals_as_Go_did_but_suppression_compares_the_measured_one()
    {
        // 33.3333 and 33.3334 both export as 33.33: Go compared the unrounded values, so the second is exported too;
        // a value measured twice the same is suppressed.
        Assert.Equal([33.33, 33.33, 40.0, null], Exports(["-cpu.min=10"], 33.3333, 33.3334, 40.0, 40.0));
        Assert.Equal(0.13, CpuCollector.RoundToTwoDecimals(0.125)); // halves away from zero, as Go's math.Round
        Assert.Equal(-0.13, CpuCollector.RoundToTwoDecimals(-0.125));
        // 10 with -cpu.min=10.004: below the minimum measured, whatever it rounds to.
        Assert.Equal([null], Exports(["-cpu.min=10.004"], 10.003));
    }

    [Fact]
    public void Values_below_the_default_minimum_of_10_are_not_exported()
    {
        Assert.Equal([null, 10.0], Exports([], 9.5, 10.0));
    }

    [Fact]
    public void Cpu_min_flag_sets_the_minimum()
    {
        Assert.Equal([null, 25.0], Exports(["-cpu.min=20"], 15.0, 25.0));
        Assert.Equal([null, 25.0], Exports(["-cpu.min", "20.5"], 20.0, 25.0));
    }

    [Fact]
    public void The_first_value_is_exported()
    {
        Assert.Equal([40.0], Exports([], 40.0));
    }

    [Fact]
    public void Below_minimum_comes_before_first_value_so_a_low_first_value_is_dropped_and_the_next_counts_as_first()
    {
        Assert.Equal([null, 30.0], Exports(["-cpu.min=20"], 5.0, 30.0));
    }

    [Fact]
    public void A_zero_after_an_exported_zero_is_not_exported()
    {
        Assert.Equal([0.0, null, null, 20.0, 0.0], Exports(["-cpu.min=0"], 0.0, 0.0, 0.0, 20.0, 0.0));
    }

    [Fact]
    public void A_value_equal_to_the_previous_export_is_not_exported()
    {
        Assert.Equal([50.0, null, null, 60.0], Exports([], 50.0, 50.0, 50.0, 60.0));
    }

    [Fact]
    public void The_previous_export_is_what_was_exported_not_what_was_measured_since()
    {
        // 5 is suppressed (below minimum), so the next 50 equals the previous *export* and is suppressed too.
        Assert.Equal([50.0, null, null, 70.0], Exports([], 50.0, 5.0, 50.0, 70.0));
    }

    [Fact]
    public void A_changed_value_is_exported()
    {
        Assert.Equal([50.0, 60.0, 50.0], Exports([], 50.0, 60.0, 50.0));
    }

    [Fact]
    public void Clamped_values_are_suppressed_like_any_other_repeat()
    {
        // 150 % and 200 % of one vCPU both clamp to 100.
        Assert.Equal([100.0, null], Exports([], 150.0, 200.0));
    }

    [Fact]
    public void Instances_are_suppressed_independently()
    {
        var collector = Plugin.Create<CpuCollector>(_time);
        InstanceBuilder A(long ns) => InstanceBuilder.Nova("a", "uuid-a").FlavorVcpus(1).Cpu(ns, _time.GetTimestamp());
        InstanceBuilder B(long ns) => InstanceBuilder.Nova("b", "uuid-b").FlavorVcpus(1).Cpu(ns, _time.GetTimestamp());
        collector.Run(Cycle.Of(_time.GetTimestamp(), A(0), B(0)));
        _time.Advance(TimeSpan.FromSeconds(1));
        var first = collector.Run(Cycle.Of(_time.GetTimestamp(), A(500_000_000), B(500_000_000)));
        Assert.Equal(["a", "b"], first.Samples.Select(s => s.Label("domain")));
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = collector.Run(Cycle.Of(_time.GetTimestamp(), A(1_000_000_000), B(1_200_000_000)));
        var only = Assert.Single(second.Samples);
        Assert.Equal("b", only.Label("domain"));
        Assert.Equal(70.0, only.Value, 9);
    }
}
