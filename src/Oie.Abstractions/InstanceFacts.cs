using System.Collections.Immutable;

namespace Oie.Abstractions;

/// <summary>
/// What the domain XML and its Nova metadata say about an instance. Read once per domain and refreshed only when it can
/// have changed. OpenStack fields are empty strings for domains Nova did not create.
/// </summary>
public sealed record InstanceFacts
{
    /// <summary>libvirt domain name (label <c>domain</c>).</summary>
    public required string Domain { get; init; }

    /// <summary>Domain UUID, lower-case canonical form (label <c>instance_uuid</c>).</summary>
    public required string InstanceUuid { get; init; }

    public string UserUuid { get; init; } = "";
    public string ProjectUuid { get; init; } = "";

    /// <summary><c>nova:name</c>, the instance's display name.</summary>
    public string InstanceName { get; init; } = "";

    /// <summary><c>nova:flavor name=…</c>.</summary>
    public string FlavorName { get; init; } = "";

    /// <summary><c>nova:owner/nova:user</c>'s text: the user's name.</summary>
    public string UserName { get; init; } = "";

    /// <summary><c>nova:owner/nova:project</c>'s text: the project's name.</summary>
    public string ProjectName { get; init; } = "";

    /// <summary><c>nova:root uuid=…</c> when the root disk is an image (<c>type="image"</c>); empty for a volume.</summary>
    public string ImageUuid { get; init; } = "";

    /// <summary><c>nova:flavor/nova:vcpus</c> when present.</summary>
    public int? FlavorVcpus { get; init; }

    /// <summary>The domain XML's <c>&lt;vcpu&gt;</c> count.</summary>
    public int DomainVcpus { get; init; }

    /// <summary>Disks with device="disk", in XML order.</summary>
    public ImmutableArray<DiskFacts> Disks { get; init; } = [];

    /// <summary>Interface target devices (e.g. tapXXXXXXXX-XX), in XML order.</summary>
    public ImmutableArray<string> Interfaces { get; init; } = [];

    /// <summary>Fixed IPs from <c>nova:ports/nova:port/nova:ip</c>.</summary>
    public ImmutableArray<FixedIp> FixedIps { get; init; } = [];

    public bool Equals(InstanceFacts? other) =>
        other is not null && Domain == other.Domain && InstanceUuid == other.InstanceUuid && UserUuid == other.UserUuid &&
        ProjectUuid == other.ProjectUuid && FlavorVcpus == other.FlavorVcpus && DomainVcpus == other.DomainVcpus &&
        InstanceName == other.InstanceName && FlavorName == other.FlavorName && UserName == other.UserName &&
        ProjectName == other.ProjectName && ImageUuid == other.ImageUuid &&
        Disks.SequenceEqual(other.Disks) && Interfaces.SequenceEqual(other.Interfaces) && FixedIps.SequenceEqual(other.FixedIps);

    public override int GetHashCode() => HashCode.Combine(Domain, InstanceUuid, UserUuid, ProjectUuid);
}

/// <param name="Target">Target dev, e.g. vda (label <c>disk_path</c>).</param>
/// <param name="Type"><c>local</c> for file disks, the pool for rbd/network disks, else <c>unknown</c> (label <c>disk_type</c>).</param>
/// <param name="Uuid">Source file path for file disks, the image for rbd/network disks (label <c>disk_uuid</c>).</param>
/// <param name="Serial">The disk's <c>&lt;serial&gt;</c> (Nova sets the Cinder volume id); empty when it has none.</param>
public sealed record DiskFacts(string Target, string Type, string Uuid, string Serial = "");

/// <param name="Address">As written in the metadata.</param>
/// <param name="Version">4 or 6.</param>
/// <param name="PortId">The Neutron port it belongs to (<c>nova:port uuid</c>), lower-case; empty when unknown. The
/// node's Neutron backend names that port's conntrack zone.</param>
public readonly record struct FixedIp(string Address, int Version, string PortId = "");
