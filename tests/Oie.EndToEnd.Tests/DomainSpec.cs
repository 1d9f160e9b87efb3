using System.Security;

namespace Oie.EndToEnd.Tests;

/// <summary>A QEMU domain (TCG: this host's nested KVM cannot boot a guest) booting the suite's kernel and initramfs.</summary>
internal sealed record DomainSpec(string Name, string Uuid)
{
    public const string UserUuid = "75736572-0000-4000-8000-000000000001";
    public const string ProjectUuid = "6f70656e-7374-6163-6b20-70726f6a6563";

    public int MemoryMiB { get; init; } = 64;
    public string? LocalDisk { get; init; }
    public (string Export, int Port, string Serial)? NbdDisk { get; init; }
    public (string Tap, string Mac)? Nic { get; init; }
    public string? ConsoleLog { get; init; }

    /// <summary>A virtio balloon whose guest statistics QEMU polls every this many seconds (Nova's default is 10); null:
    /// no balloon, the cheapest guest for tests that do not read memory.</summary>
    public int? BalloonStatsPeriod { get; init; }

    /// <summary>The &lt;nova:instance&gt; element inside &lt;metadata&gt;; null = not a Nova instance.</summary>
    public string? NovaMetadata { get; init; }

    public static string NewUuid() => Guid.NewGuid().ToString("D");

    /// <summary>Nova's metadata as Nova writes it (1.1 namespace), with one fixed IP.</summary>
    public static string Nova(string displayName, string fixedIp, string vcpus = "1") => $"""
        <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
          <nova:package version="27.1.0"/>
          <nova:name>{SecurityElement.Escape(displayName)}</nova:name>
          <nova:creationTime>2025-01-01 00:00:00</nova:creationTime>
          <nova:flavor name="m1.tiny"><nova:memory>128</nova:memory><nova:disk>1</nova:disk><nova:swap>0</nova:swap><nova:ephemeral>0</nova:ephemeral><nova:vcpus>{SecurityElement.Escape(vcpus)}</nova:vcpus></nova:flavor>
          <nova:owner>
            <nova:user uuid="{UserUuid}">alice</nova:user>
            <nova:project uuid="{ProjectUuid}">demo</nova:project>
          </nova:owner>
          <nova:ports><nova:port uuid="{Guid.NewGuid():D}"><nova:ip type="fixed" address="{SecurityElement.Escape(fixedIp)}" ipVersion="4"/></nova:port></nova:ports>
        </nova:instance>
        """;

    public string ToXml(string kernel, string initrd)
    {
        var disks = "";
        if (LocalDisk is { } file)
            disks += $"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{file}'/><target dev='vda' bus='virtio'/></disk>\n";
        if (NbdDisk is { } nbd)
        {
            disks += $"""
                <disk type='network' device='disk'><driver name='qemu' type='raw'/>
                  <source protocol='nbd' name='{nbd.Export}'><host name='127.0.0.1' port='{nbd.Port}'/></source>
                  <target dev='vdb' bus='virtio'/><serial>{nbd.Serial}</serial></disk>

                """;
        }
        var nic = Nic is { } n
            ? $"<interface type='ethernet'><mac address='{n.Mac}'/><target dev='{n.Tap}' managed='yes'/><model type='virtio'/></interface>\n"
            : "";
        var console = ConsoleLog is { } log ? $"<serial type='pty'><log file='{log}' append='off'/></serial>\n" : "";
        var balloon = BalloonStatsPeriod is { } period
            ? $"<memballoon model='virtio'><stats period='{period}'/></memballoon>"
            : "<memballoon model='none'/>";
        return $"""
            <domain type='qemu'>
              <name>{Name}</name>
              <uuid>{Uuid}</uuid>
              <metadata>{NovaMetadata ?? ""}</metadata>
              <memory unit='MiB'>{MemoryMiB}</memory>
              <vcpu>1</vcpu>
              <os><type arch='x86_64' machine='pc'>hvm</type><kernel>{kernel}</kernel><initrd>{initrd}</initrd><cmdline>console=ttyS0 panic=-1</cmdline></os>
              <features><acpi/></features>
              <devices>
                <emulator>/usr/bin/qemu-system-x86_64</emulator>
                {disks}{nic}{console}{balloon}
              </devices>
            </domain>
            """;
    }
}
