using System.Globalization;

namespace Oie.EndToEnd.Tests;

/// <summary>A domain this suite defined (or created) in the real libvirtd; Dispose destroys and undefines it.</summary>
internal sealed class LibvirtDomain : IDisposable
{
    private readonly LibvirtDaemon _libvirt;
    private bool _gone;

    private LibvirtDomain(LibvirtDaemon libvirt, DomainSpec spec)
    {
        _libvirt = libvirt;
        Spec = spec;
    }

    public DomainSpec Spec { get; }
    public string Name => Spec.Name;
    public string Uuid => Spec.Uuid;

    /// <summary>Defines and starts the domain; <paramref name="paused"/> starts QEMU with its vCPUs stopped (no CPU burnt).</summary>
    public static LibvirtDomain Start(LibvirtDaemon libvirt, RunDirectory run, GuestAssets assets, DomainSpec spec, bool paused = false,
        bool transient = false)
    {
        var xml = run.Write(spec.Name + ".xml", spec.ToXml(assets.Kernel, assets.Initrd));
        var domain = new LibvirtDomain(libvirt, spec);
        if (transient)
        {
            libvirt.Virsh(paused ? ["create", xml, "--paused"] : ["create", xml]);
        }
        else
        {
            libvirt.Virsh("define", xml);
            try
            {
                libvirt.Virsh(paused ? ["start", spec.Name, "--paused"] : ["start", spec.Name]);
            }
            catch
            {
                libvirt.TryVirsh("undefine", spec.Name);
                throw;
            }
        }
        return domain;
    }

    /// <summary>The QEMU process's PID (libvirt's pid file).</summary>
    public int QemuPid => int.Parse(File.ReadAllText($"/run/libvirt/qemu/{Name}.pid").Trim(), CultureInfo.InvariantCulture);

    public void Destroy() => _libvirt.Virsh("destroy", Name);

    public void Dispose()
    {
        if (_gone)
            return;
        _gone = true;
        _libvirt.TryVirsh("destroy", Name);
        _libvirt.TryVirsh("undefine", Name);
    }
}
