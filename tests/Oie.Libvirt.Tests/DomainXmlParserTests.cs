namespace Oie.Libvirt.Tests;

public class DomainXmlParserTests
{
    private const string Nova = "http://openstack.org/xmlns/libvirt/nova/1.1";

    private static string Domain(string devices = "", string metadata = "", string vcpu = "<vcpu placement='static'>2</vcpu>",
        string uuid = "11111111-0000-4000-8000-000000000000") => $"""
        <domain type='kvm' id='3'>
          <name>instance-00000001</name>
          <uuid>{uuid}</uuid>
          {metadata}
          {vcpu}
          <devices>{devices}</devices>
        </domain>
        """;

    private const string NovaMetadata = $"""
        <metadata>
          <nova:instance xmlns:nova="{Nova}">
            <nova:flavor name="m1.large"><nova:vcpus>4</nova:vcpus></nova:flavor>
            <nova:owner>
              <nova:user uuid="75736572-0000-4000-8000-000000000001">alice</nova:user>
              <nova:project uuid="6f70656e-7374-6163-6b20-70726f6a6563">demo</nova:project>
            </nova:owner>
            <nova:ports>
              <nova:port uuid="22222222-0000-4000-8000-000000000000">
                <nova:ip type="fixed" address="10.0.0.5" ipVersion="4"/>
                <nova:ip type="fixed" address="fd00::5" ipVersion="6"/>
              </nova:port>
              <nova:port uuid="22222222-0000-4000-8000-000000000001">
                <nova:ip type="fixed" address="192.168.7.9" ipVersion="4"/>
              </nova:port>
            </nova:ports>
          </nova:instance>
        </metadata>
        """;

    [Fact]
    public void Reads_nova_owner_flavor_ports_and_vcpus()
    {
        var facts = DomainXmlParser.Parse(Domain(metadata: NovaMetadata));

        Assert.Equal("instance-00000001", facts.Domain);
        Assert.Equal("11111111-0000-4000-8000-000000000000", facts.InstanceUuid);
        Assert.Equal("75736572-0000-4000-8000-000000000001", facts.UserUuid);
        Assert.Equal("6f70656e-7374-6163-6b20-70726f6a6563", facts.ProjectUuid);
        Assert.Equal(4, facts.FlavorVcpus);
        Assert.Equal(2, facts.DomainVcpus);
        Assert.Equal(
            [
                new FixedIp("10.0.0.5", 4, "22222222-0000-4000-8000-000000000000"), new FixedIp("fd00::5", 6, "22222222-0000-4000-8000-000000000000"),
                new FixedIp("192.168.7.9", 4, "22222222-0000-4000-8000-000000000001"),
            ],
            facts.FixedIps.ToArray());
    }

    [Fact]
    public void Domain_without_metadata_has_empty_openstack_fields()
    {
        var facts = DomainXmlParser.Parse(Domain(devices: "<interface type='bridge'><target dev='vnet0'/></interface>"));

        Assert.Equal("instance-00000001", facts.Domain);
        Assert.Equal("", facts.UserUuid);
        Assert.Equal("", facts.ProjectUuid);
        Assert.Null(facts.FlavorVcpus);
        Assert.Empty(facts.FixedIps);
        Assert.Equal(["vnet0"], facts.Interfaces.ToArray());
    }

    [Fact]
    public void Foreign_metadata_is_not_mistaken_for_nova()
    {
        var metadata = """
            <metadata>
              <app:instance xmlns:app="http://example.com/other">
                <app:owner><app:user uuid="not-nova"/><app:project uuid="not-nova"/></app:owner>
              </app:instance>
            </metadata>
            """;

        var facts = DomainXmlParser.Parse(Domain(metadata: metadata));

        Assert.Equal("", facts.UserUuid);
        Assert.Equal("", facts.ProjectUuid);
    }

    [Fact]
    public void Older_nova_namespace_is_read_too()
    {
        var facts = DomainXmlParser.Parse(Domain(metadata: NovaMetadata.Replace("nova/1.1", "nova/1.0", StringComparison.Ordinal)));

        Assert.Equal("6f70656e-7374-6163-6b20-70726f6a6563", facts.ProjectUuid);
    }

    [Fact]
    public void Uuid_is_lower_case_canonical()
    {
        var facts = DomainXmlParser.Parse(Domain(uuid: "AAAAAAAA-0000-4000-8000-00000000000A"));

        Assert.Equal("aaaaaaaa-0000-4000-8000-00000000000a", facts.InstanceUuid);
    }

    [Theory]
    [InlineData("<domain><name>x</name><uuid>11111111-0000-4000-8000-000000000000</uuid>")]
    [InlineData("")]
    [InlineData("not xml at all")]
    [InlineData("<domain><uuid>11111111-0000-4000-8000-000000000000</uuid></domain>")]
    [InlineData("<domain><name>x</name><uuid>nope</uuid></domain>")]
    [InlineData("<network><name>x</name><uuid>11111111-0000-4000-8000-000000000000</uuid></network>")]
    public void Malformed_or_incomplete_xml_throws_DomainXmlException(string xml)
    {
        Assert.Throws<DomainXmlException>(() => DomainXmlParser.Parse(xml));
    }

    [Fact]
    public void Dtd_is_refused()
    {
        var xml = "<!DOCTYPE domain [<!ENTITY x \"boom\">]><domain><name>&x;</name><uuid>11111111-0000-4000-8000-000000000000</uuid></domain>";

        Assert.Throws<DomainXmlException>(() => DomainXmlParser.Parse(xml));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-4")]
    [InlineData("two")]
    [InlineData("99999999999")]
    [InlineData("")]
    public void Bad_nova_vcpus_is_left_out_and_the_rest_of_the_metadata_kept(string vcpus)
    {
        var metadata = NovaMetadata.Replace("<nova:vcpus>4</nova:vcpus>", $"<nova:vcpus>{vcpus}</nova:vcpus>", StringComparison.Ordinal);

        var parsed = DomainXmlParser.ParseDomain(Domain(metadata: metadata, devices: "<interface type='bridge'><target dev='tap1'/></interface>"));

        Assert.Null(parsed.Facts.FlavorVcpus);
        Assert.Equal(2, parsed.Facts.DomainVcpus);
        Assert.Equal("6f70656e-7374-6163-6b20-70726f6a6563", parsed.Facts.ProjectUuid);
        Assert.Equal(3, parsed.Facts.FixedIps.Length);
        Assert.Equal(["tap1"], parsed.Facts.Interfaces.ToArray());
        Assert.Contains("nova:vcpus", Assert.Single(parsed.Ignored), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<nova:ip address='10.0.0.999' ipVersion='4'/>")]
    [InlineData("<nova:ip address='10.0.0.9' ipVersion='6'/>")]
    public void Bad_fixed_ip_is_left_out_and_the_other_ips_kept(string bad)
    {
        var metadata = $"<metadata><nova:instance xmlns:nova='{Nova}'><nova:flavor><nova:vcpus>4</nova:vcpus></nova:flavor>" +
                       $"<nova:ports><nova:port uuid='p1'>{bad}<nova:ip address='10.0.0.5' ipVersion='4'/></nova:port></nova:ports>" +
                       "</nova:instance></metadata>";

        var parsed = DomainXmlParser.ParseDomain(Domain(metadata: metadata));

        Assert.Equal([new FixedIp("10.0.0.5", 4, "p1")], parsed.Facts.FixedIps.ToArray());
        Assert.Equal(4, parsed.Facts.FlavorVcpus);
        Assert.Contains("not attributed", Assert.Single(parsed.Ignored), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_domain_vcpu_gives_zero_so_the_live_count_is_used()
    {
        var parsed = DomainXmlParser.ParseDomain(Domain(vcpu: "<vcpu>lots</vcpu>"));

        Assert.Equal(0, parsed.Facts.DomainVcpus);
        Assert.Contains("<vcpu>", Assert.Single(parsed.Ignored), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_device_disk_counts_cdrom_and_floppy_are_excluded()
    {
        var devices = """
            <disk type='file' device='cdrom'><source file='/tmp/config.iso'/><target dev='hdc'/></disk>
            <disk type='file' device='floppy'><source file='/tmp/fd.img'/><target dev='fda'/></disk>
            <disk type='file' device='disk'><source file='/var/lib/nova/instances/x/disk'/><target dev='vda'/></disk>
            <disk type='file'><source file='/var/lib/nova/instances/x/disk.eph0'/><target dev='vdb'/></disk>
            """;

        var parsed = DomainXmlParser.ParseDomain(Domain(devices: devices));

        Assert.Equal(
            [new DiskFacts("vda", "local", "/var/lib/nova/instances/x/disk"), new DiskFacts("vdb", "local", "/var/lib/nova/instances/x/disk.eph0")],
            parsed.Facts.Disks.ToArray());
        Assert.Equal(4, parsed.DiskElements);
    }

    [Fact]
    public void Rbd_source_name_splits_into_pool_and_image()
    {
        var devices = """
            <disk type='network' device='disk'>
              <source protocol='rbd' name='volumes/volume-33333333-0000-4000-8000-000000000000'><host name='192.0.2.10' port='6789'/></source>
              <target dev='vdb' bus='virtio'/>
              <serial>33333333-0000-4000-8000-000000000000</serial>
            </disk>
            <disk type='network' device='disk'>
              <source protocol='rbd' name='vms/ns1/11111111-0000-4000-8000-000000000000_disk'/>
              <target dev='vda' bus='virtio'/>
            </disk>
            """;

        var facts = DomainXmlParser.Parse(Domain(devices: devices));

        // Go's parseDiskType takes the first two parts: an rbd namespace is taken for the image, as Go exported it.
        Assert.Equal(
            [new DiskFacts("vdb", "volumes", "volume-33333333-0000-4000-8000-000000000000", "33333333-0000-4000-8000-000000000000"),
             new DiskFacts("vda", "vms", "ns1")],
            facts.Disks.ToArray());
    }

    /// <summary>As the Go exporter computed the labels: a non-file disk whose source name has no slash is
    /// <c>disk_type="unknown"</c>, <c>disk_uuid="unknown"</c> (the serial or device path is not taken); any source name
    /// with a slash is split as a pool/image, whatever the protocol; a file disk is local, its file (or empty).</summary>
    [Fact]
    public void Other_disks_are_labelled_exactly_as_go_labelled_them()
    {
        var devices = """
            <disk type='block' device='disk'><source dev='/dev/sdb'/><target dev='vda'/><serial>55555555-0000-4000-8000-000000000005</serial></disk>
            <disk type='block' device='disk'><source dev='/dev/sdc'/><target dev='vdb'/></disk>
            <disk type='network' device='disk'><source protocol='iscsi' name='iqn.2010-10.org.openstack:volume-1/1'/><target dev='vdc'/></disk>
            <disk type='network' device='disk'><source protocol='rbd' name='no-pool-here'/><target dev='vdd'/></disk>
            <disk type='volume' device='disk'><source pool='default' volume='v1'/><target dev='vde'/></disk>
            <disk type='network' device='disk'><source protocol='rbd' name='pool/'/><target dev='vdf'/></disk>
            <disk type='file' device='disk'><target dev='vdg'/></disk>
            <disk type='block' device='disk'><target dev='vdh'/></disk>
            """;

        var facts = DomainXmlParser.Parse(Domain(devices: devices));

        Assert.Equal(
            [new DiskFacts("vda", "unknown", "unknown", "55555555-0000-4000-8000-000000000005"),
             new DiskFacts("vdb", "unknown", "unknown"),
             new DiskFacts("vdc", "iqn.2010-10.org.openstack:volume-1", "1"),
             new DiskFacts("vdd", "unknown", "unknown"),
             new DiskFacts("vde", "unknown", "unknown"),
             new DiskFacts("vdf", "pool", ""),
             new DiskFacts("vdg", "local", ""),
             new DiskFacts("vdh", "unknown", "unknown")],
            facts.Disks.ToArray());
    }

    /// <summary>The disk's serial (Nova writes the Cinder volume id there) is a fact of its own, trimmed, empty when
    /// absent, and does not change the Go-compatible disk_type/disk_uuid of any disk kind.</summary>
    [Fact]
    public void Disk_serial_is_read_without_touching_the_go_labels()
    {
        var devices = """
            <disk type='network' device='disk'>
              <source protocol='rbd' name='volumes/volume-33333333-0000-4000-8000-000000000000'/>
              <target dev='vdb' bus='virtio'/>
              <serial>
                33333333-0000-4000-8000-000000000000
              </serial>
            </disk>
            <disk type='file' device='disk'><source file='/var/lib/nova/instances/x/disk'/><target dev='vda'/><serial>local-serial</serial></disk>
            <disk type='block' device='disk'><source dev='/dev/sdb'/><target dev='vdc'/><serial></serial></disk>
            <disk type='file' device='disk'><source file='/var/lib/nova/instances/x/disk.eph0'/><target dev='vdd'/></disk>
            <disk type='file' device='cdrom'><source file='/tmp/config.iso'/><target dev='hdc'/><serial>cdrom</serial></disk>
            """;

        var facts = DomainXmlParser.Parse(Domain(devices: devices));

        Assert.Equal(
            [new DiskFacts("vdb", "volumes", "volume-33333333-0000-4000-8000-000000000000", "33333333-0000-4000-8000-000000000000"),
             new DiskFacts("vda", "local", "/var/lib/nova/instances/x/disk", "local-serial"),
             new DiskFacts("vdc", "unknown", "unknown", ""),
             new DiskFacts("vdd", "local", "/var/lib/nova/instances/x/disk.eph0", "")],
            facts.Disks.ToArray());
    }

    [Fact]
    public void Interfaces_are_target_devs_in_order_and_counted_with_targetless_ones()
    {
        var devices = """
            <interface type='ethernet'><mac address='fa:16:3e:00:00:01'/><target dev='tap22222222-00'/></interface>
            <interface type='hostdev'><mac address='fa:16:3e:00:00:02'/></interface>
            <interface type='bridge'><target dev='tap22222222-01'/></interface>
            """;

        var parsed = DomainXmlParser.ParseDomain(Domain(devices: devices));

        Assert.Equal(["tap22222222-00", "tap22222222-01"], parsed.Facts.Interfaces.ToArray());
        Assert.Equal(3, parsed.InterfaceElements);
    }

    [Fact]
    public void Vcpu_current_attribute_wins_over_the_maximum()
    {
        var facts = DomainXmlParser.Parse(Domain(vcpu: "<vcpu placement='static' current='3'>8</vcpu>"));

        Assert.Equal(3, facts.DomainVcpus);
    }

    [Fact]
    public void Disk_without_target_dev_throws()
    {
        var devices = "<disk type='file' device='disk'><source file='/x'/></disk>";

        Assert.Throws<DomainXmlException>(() => DomainXmlParser.Parse(Domain(devices: devices)));
    }
}
