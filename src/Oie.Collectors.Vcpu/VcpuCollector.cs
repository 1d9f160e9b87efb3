using Oie.Abstractions;

namespace Oie.Collectors.Vcpu;

/// <summary>
/// Per instance, its vCPU count and maximum, and <c>vcpu.N.delay</c> summed over its vCPUs as seconds: the time a vCPU
/// was runnable but waited for a host CPU, the guest's steal time. Each only when libvirt reported it; the delay is
/// absent, not 0, where libvirt does not report it (before 7.2, or not on Linux), so "no steal" is never claimed unseen.
/// </summary>
public sealed class VcpuCollector : ICollector, ICollectorPlugin, IInstanceReadingsConsumer
{
    private const double NanosecondsPerSecond = 1e9;

    private static readonly string[] Labels = ["domain", "instance_uuid", "user_uuid", "project_uuid"];

    private static readonly MetricFamily Count = new("oie_vcpus",
        "vCPUs online in the instance (libvirt vcpu.current, else the domain info's count)", MetricType.Gauge, Labels);

    private static readonly MetricFamily Maximum = new("oie_vcpu_maximum",
        "vCPUs the instance may have online (libvirt vcpu.maximum)", MetricType.Gauge, Labels);

    private static readonly MetricFamily Delay = new("oie_vcpu_delay_seconds_total",
        "Time the instance's vCPUs were runnable but waited for a host CPU, summed over its vCPUs (libvirt vcpu.N.delay), seconds",
        MetricType.Counter, Labels);

    private static readonly MetricFamily[] AllFamilies = [Count, Maximum, Delay];

    public static CollectorFactory Setup(PluginEntry plugin, FlagSet flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        return _ => new VcpuCollector();
    }

    public IReadOnlyList<MetricFamily> Families => AllFamilies;

    public InstanceReadings Readings => InstanceReadings.Vcpu;

    public void Collect(CycleSnapshot snapshot, ISampleWriter writer)
    {
        foreach (var instance in snapshot.Instances)
        {
            if (instance.Stats.VcpuStats is not { } vcpus)
            {
                continue;
            }
            var facts = instance.Facts;
            ReadOnlySpan<string> labels = [facts.Domain, facts.InstanceUuid, facts.UserUuid, facts.ProjectUuid];
            writer.WriteReported(Count, instance, vcpus.Current, labels);
            writer.WriteReported(Maximum, instance, vcpus.Maximum, labels);
            writer.WriteReported(Delay, instance, vcpus.DelayNs / NanosecondsPerSecond, labels);
        }
    }
}
