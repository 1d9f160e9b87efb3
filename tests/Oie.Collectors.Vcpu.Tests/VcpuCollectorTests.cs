using Microsoft.Extensions.Time.Testing;
using Oie.Collectors.Vcpu;
using Snapshooter.Xunit;

namespace Oie.Collectors.Vcpu.Tests;

public sealed class VcpuCollectorTests
{
    private static RecordingSampleWriter Run(params Instance[] vms) =>
        Plugin.Create<VcpuCollector>(new FakeTimeProvider()).Run(Cycle.Of(0, vms));

    private static Instance WithVcpus(InstanceBuilder builder, VcpuStats? vcpus) =>
        new(builder.BuildFacts(), new InstanceStats { State = DomainRunState.Running, VcpuStats = vcpus });

    [Fact]
    public void Families_and_flags_match_the_snapshot()
    {
        var collector = Plugin.Create<VcpuCollector>(new FakeTimeProvider());
        Snapshot.Match(Contract.Of<VcpuCollector>(collector));
    }

    [Fact]
    public void Reads_only_the_vcpu_stats()
    {
        var collector = Assert.IsAssignableFrom<IInstanceReadingsConsumer>(Plugin.Create<VcpuCollector>(new FakeTimeProvider()));
        Assert.Equal(InstanceReadings.Vcpu, collector.Readings);
    }

    [Fact]
    public void Count_maximum_and_delay_in_seconds_with_the_seeds_identity_labels()
    {
        var samples = Run(WithVcpus(InstanceBuilder.Nova(), new VcpuStats(Current: 4, Maximum: 8, DelayNs: 2_500_000_001))).Samples;

        Assert.Equal(
            [("oie_vcpus", 4.0), ("oie_vcpu_maximum", 8.0), ("oie_vcpu_delay_seconds_total", 2.500000001)],
            samples.Select(s => (s.Name, s.Value)));
        Assert.All(samples, s =>
        {
            Assert.Equal(["domain", "instance_uuid", "user_uuid", "project_uuid"], s.Family.LabelNames.ToArray());
            Assert.Equal(["instance-00000001", "11111111-1111-1111-1111-111111111111", "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa",
                "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb"], s.Labels);
        });
        Assert.Equal(MetricType.Counter, samples[2].Family.Type);
        Assert.Equal(MetricType.Gauge, samples[0].Family.Type);
    }

    [Fact]
    public void Delay_libvirt_did_not_report_is_absent_not_zero()
    {
        var samples = Run(WithVcpus(InstanceBuilder.Nova(), new VcpuStats(Current: 2, Maximum: null, DelayNs: null)));

        Assert.Equal(["oie_vcpus"], samples.Names);
    }

    [Fact]
    public void A_reported_delay_of_zero_is_written()
    {
        var samples = Run(WithVcpus(InstanceBuilder.Nova(), new VcpuStats(Current: 2, Maximum: 2, DelayNs: 0)));

        Assert.Equal(0, Assert.Single(samples.Of("oie_vcpu_delay_seconds_total")).Value);
    }

    [Fact]
    public void An_instance_whose_vcpus_were_not_read_writes_nothing_and_others_still_do()
    {
        var samples = Run(
            WithVcpus(InstanceBuilder.Nova(), null),
            WithVcpus(InstanceBuilder.NonNova(), new VcpuStats(Current: 1, Maximum: null, DelayNs: null)));

        var sample = Assert.Single(samples.Samples);
        Assert.Equal(["plain-vm", "99999999-9999-9999-9999-999999999999", "", ""], sample.Labels);
    }
}
