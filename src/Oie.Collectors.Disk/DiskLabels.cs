using Oie.Abstractions;

namespace Oie.Collectors.Disk;

/// <summary>The seed's per-disk labels, for every family that describes one disk of one instance (the disk collector's,
/// and disk_info's, which adds its own after them).</summary>
public static class DiskLabels
{
    public const int Count = 7;

    public static IReadOnlyList<string> Names { get; } =
        ["domain", "instance_uuid", "user_uuid", "project_uuid", "disk_uuid", "disk_type", "disk_path"];

    /// <summary>Fills the first <see cref="Count"/> entries of <paramref name="values"/>, in the order of <see cref="Names"/>.</summary>
    public static void Fill(Span<string> values, InstanceFacts facts, DiskFacts disk)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(disk);
        values[0] = facts.Domain;
        values[1] = facts.InstanceUuid;
        values[2] = facts.UserUuid;
        values[3] = facts.ProjectUuid;
        values[4] = disk.Uuid;
        values[5] = disk.Type;
        values[6] = disk.Target;
    }
}
