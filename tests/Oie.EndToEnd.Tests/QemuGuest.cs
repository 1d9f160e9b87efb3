namespace Oie.EndToEnd.Tests;

/// <summary>
/// The end-to-end guest, as ../shared/infra/e2e-libvirt-up.sh: Nova metadata (owner, flavor, one fixed IP), a local
/// qcow2 disk (vda), a network disk (vdb, NBD from qemu-nbd inside the namespace, standing in for rbd), a tap NIC in the
/// namespace whose peer address 10.0.0.1 it pings, connects to over TCP and queries over UDP every second while reading
/// vda and writing vdb, and a virtio balloon with a 5 s stats period (its guest loads virtio_balloon). Dispose destroys it
/// and stops qemu-nbd.
/// </summary>
internal sealed class QemuGuest : IDisposable
{
    public const string FixedIp = "10.0.0.5";
    public const string DisplayName = "e2e-vm";
    private const int NbdPort = 10809;

    /// <summary>Seconds between the balloon's guest statistics.</summary>
    public const int BalloonStatsPeriod = 5;

    public const int MemoryMiB = 128;
    public const int LocalDiskMiB = 64;
    public const int VolumeMiB = 32;
    private readonly LibvirtDomain _domain;
    private readonly Daemon _nbd;

    private QemuGuest(LibvirtDomain domain, Daemon nbd, string console)
    {
        _domain = domain;
        _nbd = nbd;
        ConsoleLog = console;
    }

    public string Name => _domain.Name;
    public string Uuid => _domain.Uuid;
    public string Tap => _domain.Spec.Nic!.Value.Tap;
    public string LocalDisk => _domain.Spec.LocalDisk!;
    public string VolumeSerial => _domain.Spec.NbdDisk!.Value.Serial;
    public string ConsoleLog { get; }
    public int QemuPid => _domain.QemuPid;

    public static async Task<QemuGuest> BootAsync(LibvirtDaemon libvirt, RunDirectory run, ConntrackNamespace ns, GuestAssets assets)
    {
        var disk = run.File("guest-disk.qcow2");
        var volume = run.File("guest-volume.qcow2");
        Sh.Run("qemu-img", "create", "-q", "-f", "qcow2", disk, $"{LocalDiskMiB}M");
        Sh.Run("qemu-img", "create", "-q", "-f", "qcow2", volume, $"{VolumeMiB}M");
        var serial = DomainSpec.NewUuid();
        var export = "volume-" + serial;
        var nbd = Daemon.StartAs(run, "qemu-nbd", "qemu-nbd", "ip", "netns", "exec", ns.Name,
            "qemu-nbd", "--persistent", "-b", "127.0.0.1", "-p", NbdPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-x", export, "-f", "qcow2", volume);
        LibvirtDomain? domain = null;
        try
        {
            await Poll.UntilAsync(
                () => nbd.HasExited || ns.Exec("ss", "-H", "-ltn", $"sport = :{NbdPort}").Trim().Length > 0,
                TimeSpan.FromSeconds(20), () => nbd.Log());
            if (nbd.HasExited)
                throw new InvalidOperationException("qemu-nbd exited at start\n" + nbd.Log());

            var console = run.File("guest-console.log");
            var spec = new DomainSpec(LibvirtDaemon.DomainPrefix + "0001", DomainSpec.NewUuid())
            {
                MemoryMiB = QemuGuest.MemoryMiB,
                LocalDisk = disk,
                NbdDisk = (export, NbdPort, serial),
                Nic = ("tap0e2e0001", "fa:16:3e:0e:2e:01"),
                ConsoleLog = console,
                BalloonStatsPeriod = QemuGuest.BalloonStatsPeriod,
                NovaMetadata = DomainSpec.Nova(DisplayName, FixedIp),
            };
            domain = LibvirtDomain.Start(libvirt, run, assets, spec);
            var guest = new QemuGuest(domain, nbd, console);
            ns.AddPeer(guest.Tap);
            await Poll.UntilAsync(() => File.Exists(console) && File.ReadAllText(console).Contains("GUEST READY", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), () => "the guest did not boot; console:\n" + (File.Exists(console) ? File.ReadAllText(console) : "(none)") +
                                               "\n" + libvirt.Log());
            await Poll.UntilAsync(() => ns.Table().Contains($"src={FixedIp} dst={ConntrackNamespace.PeerAddress}", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), () => "no conntrack entry of the guest in the namespace:\n" + ns.Table());
            return guest;
        }
        catch
        {
            domain?.Dispose();
            nbd.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _domain.Dispose();
        _nbd.Dispose();
    }
}
