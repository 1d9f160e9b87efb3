using Oie.Abstractions;

namespace Oie.Collectors.InstanceInfo;

/// <summary>
/// <c>oie_instance_info</c> = 1 per instance, with the seed's four identity labels and what Nova's metadata names the
/// instance by: a join target (<c>* on (instance_uuid) group_left(instance_name, flavor) oie_instance_info</c>), so
/// no other series grows labels. Every active domain gets one, with empty Nova labels for a domain Nova did not create.
/// </summary>
public sealed class InstanceInfoCollector : ICollector, ICollectorPlugin
{
    private static readonly MetricFamily Info = new("oie_instance_info",
        "Instance identity from the Nova metadata, always 1: display name, flavor, user and project names, image",
        MetricType.Gauge,
        "domain", "instance_uuid", "user_uuid", "project_uuid", "instance_name", "flavor", "user_name", "project_name", "image_uuid");

    private static readonly MetricFamily[] AllFamilies = [Info];

    public static CollectorFactory Setup(PluginEntry plugin, FlagSet flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        return _ => new InstanceInfoCollector();
    }

    public IReadOnlyList<MetricFamily> Families => AllFamilies;

    public void Collect(CycleSnapshot snapshot, ISampleWriter writer)
    {
        foreach (var instance in snapshot.Instances)
        {
            var facts = instance.Facts;
            writer.Write(Info, instance, 1, facts.Domain, facts.InstanceUuid, facts.UserUuid, facts.ProjectUuid,
                facts.InstanceName, facts.FlavorName, facts.UserName, facts.ProjectName, facts.ImageUuid);
        }
    }
}
