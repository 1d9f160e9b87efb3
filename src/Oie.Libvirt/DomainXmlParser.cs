using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Xml;
using System.Xml.Linq;
using Oie.Abstractions;

namespace Oie.Libvirt;

/// <summary>
/// Reads <see cref="InstanceFacts"/> from a libvirt domain XML and the Nova metadata inside it. Only what identifies the
/// domain (XML that parses, a name, a UUID, a target for each disk) is required; a bad per-instance field (a
/// <c>nova:vcpus</c> of <c>0</c> or <c>two</c>, a fixed IP that is not an address) degrades that field only, is left out
/// of the facts and is reported in <see cref="ParsedDomain.Ignored"/>, so the instance keeps every series it can have.
/// </summary>
public static class DomainXmlParser
{
    /// <summary>Nova writes 1.1 today; 1.0 is what older releases wrote, with the same elements we read.</summary>
    private static readonly XNamespace[] NovaNamespaces =
    [
        "http://openstack.org/xmlns/libvirt/nova/1.1",
        "http://openstack.org/xmlns/libvirt/nova/1.0",
    ];

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <exception cref="DomainXmlException">Malformed XML, no name/uuid, or a disk without a target.</exception>
    public static InstanceFacts Parse(string xml) => ParseDomain(xml).Facts;

    internal static ParsedDomain ParseDomain(string xml)
    {
        XElement root;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), ReaderSettings);
            root = XDocument.Load(reader).Root ?? throw new DomainXmlException("empty document");
        }
        catch (XmlException e)
        {
            throw new DomainXmlException($"malformed domain XML: {e.Message}", e);
        }
        if (root.Name != "domain")
            throw new DomainXmlException($"root element is <{root.Name.LocalName}>, expected <domain>");

        var name = root.Element("name")?.Value.Trim();
        if (string.IsNullOrEmpty(name))
            throw new DomainXmlException("domain XML has no <name>");
        var uuidText = root.Element("uuid")?.Value.Trim();
        if (!Guid.TryParse(uuidText, out var uuid))
            throw new DomainXmlException($"domain {name}: <uuid> '{uuidText}' is not a UUID");

        var devices = root.Element("devices");
        var diskElements = devices?.Elements("disk").ToList() ?? [];
        var interfaceElements = devices?.Elements("interface").ToList() ?? [];
        var nova = FindNovaInstance(root);
        var ignored = new List<string>();

        var facts = new InstanceFacts
        {
            Domain = name,
            InstanceUuid = uuid.ToString("D"),
            DomainVcpus = ParseVcpus(root.Element("vcpu"), ignored),
            Disks = [.. diskElements.Where(IsDisk).Select(d => ParseDisk(d, name))],
            Interfaces = [.. interfaceElements.Select(i => i.Element("target")?.Attribute("dev")?.Value).OfType<string>().Where(d => d.Length > 0)],
        };
        if (nova is not null)
            facts = WithNova(facts, nova.Value.Instance, nova.Value.Ns, ignored);
        return new ParsedDomain(facts, diskElements.Count, interfaceElements.Count, ignored);
    }

    private static (XElement Instance, XNamespace Ns)? FindNovaInstance(XElement root)
    {
        var metadata = root.Element("metadata");
        if (metadata is null)
            return null;
        foreach (var ns in NovaNamespaces)
        {
            if (metadata.Element(ns + "instance") is { } instance)
                return (instance, ns);
        }
        return null;
    }

    private static InstanceFacts WithNova(InstanceFacts facts, XElement instance, XNamespace nova, List<string> ignored)
    {
        var owner = instance.Element(nova + "owner");
        int? flavorVcpus = null;
        if (instance.Element(nova + "flavor")?.Element(nova + "vcpus") is { } vcpus)
        {
            // Missing or bad, the CPU collector falls back to libvirt's vCPU count.
            if (TryParsePositiveInt(vcpus.Value, out var count))
                flavorVcpus = count;
            else
                ignored.Add($"nova:vcpus '{Shorten(vcpus.Value)}' is not a positive integer; using libvirt's vCPU count");
        }

        var ips = ImmutableArray.CreateBuilder<FixedIp>();
        foreach (var port in instance.Element(nova + "ports")?.Elements(nova + "port") ?? [])
        {
            var portId = port.Attribute("uuid")?.Value.Trim().ToLowerInvariant() ?? "";
            foreach (var ip in port.Elements(nova + "ip"))
            {
                if (ParseFixedIp(ip, ignored) is { } fixedIp)
                    ips.Add(fixedIp with { PortId = portId });
            }
        }

        return facts with
        {
            UserUuid = owner?.Element(nova + "user")?.Attribute("uuid")?.Value.Trim() ?? "",
            ProjectUuid = owner?.Element(nova + "project")?.Attribute("uuid")?.Value.Trim() ?? "",
            FlavorVcpus = flavorVcpus,
            FixedIps = ips.ToImmutable(),
            InstanceName = instance.Element(nova + "name")?.Value.Trim() ?? "",
            FlavorName = instance.Element(nova + "flavor")?.Attribute("name")?.Value.Trim() ?? "",
            UserName = owner?.Element(nova + "user")?.Value.Trim() ?? "",
            ProjectName = owner?.Element(nova + "project")?.Value.Trim() ?? "",
            ImageUuid = instance.Element(nova + "root") is { } root && root.Attribute("type")?.Value == "image"
                ? root.Attribute("uuid")?.Value.Trim().ToLowerInvariant() ?? ""
                : "",
        };
    }

    /// <summary>Null (and a note in <paramref name="ignored"/>) when the address is not one, or not of its ipVersion:
    /// that IP's conntrack entries are not attributed, the rest of the instance is unaffected.</summary>
    private static FixedIp? ParseFixedIp(XElement ip, List<string> ignored)
    {
        var address = ip.Attribute("address")?.Value.Trim() ?? "";
        if (!IPAddress.TryParse(address, out var parsed))
        {
            ignored.Add($"nova:ip address '{Shorten(address)}' is not an IP address; its conntrack entries are not attributed");
            return null;
        }
        var actual = parsed.AddressFamily == AddressFamily.InterNetworkV6 ? 6 : 4;
        if (ip.Attribute("ipVersion")?.Value.Trim() is { } versionText && versionText != actual.ToString(CultureInfo.InvariantCulture))
        {
            ignored.Add($"nova:ip {address} has ipVersion '{Shorten(versionText)}'; its conntrack entries are not attributed");
            return null;
        }
        return new FixedIp(address, actual);
    }

    /// <summary>A missing device attribute means "disk" in libvirt's schema.</summary>
    private static bool IsDisk(XElement disk) => (disk.Attribute("device")?.Value ?? "disk") == "disk";

    /// <summary>
    /// The disk's labels exactly as the Go exporter computed them: <c>type='file'</c> → <c>disk_type="local"</c> and the
    /// source file as <c>disk_uuid</c> (empty without one); any other type → the source <c>name</c> split on <c>/</c>,
    /// the first two parts as pool and image when there are at least two (an rbd <c>pool/image</c>, but also an iSCSI
    /// <c>iqn…/LUN</c> or an rbd namespace's <c>pool/namespace</c>), else <c>unknown</c> for both (block, LVM, iSCSI
    /// without a slash, …).
    /// </summary>
    private static DiskFacts ParseDisk(XElement disk, string domain)
    {
        var target = disk.Element("target")?.Attribute("dev")?.Value;
        if (string.IsNullOrEmpty(target))
            throw new DomainXmlException($"domain {domain}: a disk has no <target dev>");
        var source = disk.Element("source");
        // The serial is Nova's Cinder volume id; it is an extra fact and changes none of the Go labels above.
        var serial = disk.Element("serial")?.Value.Trim() ?? "";
        if (disk.Attribute("type")?.Value == "file")
            return new DiskFacts(target, "local", source?.Attribute("file")?.Value ?? "", serial);
        // Go's parseDiskType: strings.Split(name, "/"), len(parts) > 1 → parts[0], parts[1].
        var parts = (source?.Attribute("name")?.Value ?? "").Split('/');
        return parts.Length > 1
            ? new DiskFacts(target, parts[0], parts[1], serial)
            : new DiskFacts(target, UnknownDisk, UnknownDisk, serial);
    }

    /// <summary>disk_type and disk_uuid of a disk that is neither a file nor has a <c>pool/image</c> source name.</summary>
    private const string UnknownDisk = "unknown";

    /// <summary>The live count is <c>current</c> when set (vCPU hot-plug), else the element's value; 0 when missing or
    /// bad (the CPU collector then uses libvirt's count of the cycle).</summary>
    private static int ParseVcpus(XElement? vcpu, List<string> ignored)
    {
        if (vcpu is null)
            return 0;
        var text = vcpu.Attribute("current")?.Value ?? vcpu.Value;
        if (TryParsePositiveInt(text, out var count))
            return count;
        ignored.Add($"<vcpu> '{Shorten(text)}' is not a positive integer; using libvirt's vCPU count");
        return 0;
    }

    /// <summary>Decimal digits only, 1 to <see cref="int.MaxValue"/>: <c>0</c>, <c>-4</c>, <c>two</c> and
    /// <c>99999999999</c> are all refused.</summary>
    private static bool TryParsePositiveInt(string text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;

    /// <summary>A value quoted in a log line, cut so that a hostile one cannot flood the log.</summary>
    private static string Shorten(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 64 ? trimmed : trimmed[..64] + "…";
    }
}

/// <summary>The facts plus how many &lt;disk&gt; and &lt;interface&gt; elements the XML has in all, which is what libvirt's
/// bulk <c>block.count</c> / <c>net.count</c> count (cdroms included), and the per-instance fields that were left out
/// because their value was bad (one sentence each, for the log).</summary>
internal sealed record ParsedDomain(InstanceFacts Facts, int DiskElements, int InterfaceElements, IReadOnlyList<string>? Ignored = null)
{
    public IReadOnlyList<string> Ignored { get; } = Ignored ?? [];
}
