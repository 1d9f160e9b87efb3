using Oie.Abstractions;

namespace Oie.Testing;

/// <summary>Hand-made <see cref="CycleSnapshot"/>s.</summary>
public static class Cycle
{
    /// <summary>A cycle in which libvirt answered and listed <paramref name="instances"/>.</summary>
    public static CycleSnapshot Of(long timestamp, params Instance[] instances) =>
        new() { Timestamp = timestamp, LibvirtAvailable = true, Instances = instances };

    /// <summary>A cycle in which libvirt could not be read.</summary>
    public static CycleSnapshot LibvirtDown(long timestamp) =>
        new() { Timestamp = timestamp, LibvirtAvailable = false, Instances = [] };
}
