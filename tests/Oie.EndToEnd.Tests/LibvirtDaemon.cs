using System.Globalization;

namespace Oie.EndToEnd.Tests;

/// <summary>
/// The real libvirtd behind qemu:///system, started in the foreground by this suite (no systemd) inside the
/// <see cref="ConntrackNamespace"/> (nsenter --net), so the taps of the guests it starts are created there and their
/// interface counters are read there; its UNIX sockets under /run/libvirt are reachable from everywhere. virtlogd is
/// started too unless one already runs. <see cref="Kill"/>/<see cref="Start"/> let a test take the daemon away and bring
/// it back; QEMU guests keep running meanwhile and the new daemon reconnects to them.
/// </summary>
internal sealed class LibvirtDaemon : IDisposable
{
    public const string Uri = "qemu:///system";
    public const string DomainPrefix = "instance-0e2e";
    private readonly RunDirectory _run;
    private readonly ConntrackNamespace _ns;
    private Daemon? _virtlogd;
    private Daemon? _libvirtd;
    private int _starts;

    private LibvirtDaemon(RunDirectory run, ConntrackNamespace ns)
    {
        _run = run;
        _ns = ns;
    }

    public int Pid => _libvirtd?.Pid ?? throw new InvalidOperationException("libvirtd is not running");

    public static async Task<LibvirtDaemon> StartAsync(RunDirectory run, ConntrackNamespace ns)
    {
        var daemon = new LibvirtDaemon(run, ns);
        try
        {
            // No udev here: /dev/kvm is root-only, and libvirt then re-probes QEMU for seconds on every call
            // (../shared/infra/README.md). The guests use TCG (type='qemu') either way.
            if (File.Exists("/dev/kvm"))
            {
                Sh.Try("chgrp", "kvm", "/dev/kvm");
                Sh.Try("chmod", "0660", "/dev/kvm");
            }
            var foreign = RunningPid("/run/libvirtd.pid", "libvirtd");
            if (foreign is not null)
            {
                throw new InvalidOperationException(
                    $"a libvirtd this suite did not start is running (pid {foreign}); the suite needs its own (stop it and run again)");
            }

            if (RunningPid("/run/virtlogd.pid", "virtlogd") is null)
            {
                daemon._virtlogd = Daemon.Start(run, "virtlogd", "virtlogd");
                await Poll.UntilAsync(() => File.Exists("/run/libvirt/virtlogd-sock") || daemon._virtlogd.HasExited,
                    TimeSpan.FromSeconds(20), () => daemon._virtlogd.Log());
                if (daemon._virtlogd.HasExited)
                    throw new InvalidOperationException("virtlogd exited at start\n" + daemon._virtlogd.Log());
            }
            await daemon.StartAsync();
            daemon.RemoveStaleDomains();
            return daemon;
        }
        catch
        {
            daemon.Dispose();
            throw;
        }
    }

    /// <summary>Starts libvirtd (again) and waits until it answers.</summary>
    public async Task StartAsync()
    {
        if (_libvirtd is { HasExited: false })
            throw new InvalidOperationException("libvirtd is already running");
        _libvirtd?.Dispose();
        _starts++;
        var libvirtd = Daemon.StartAs(_run, $"libvirtd-{_starts}", "libvirtd", "nsenter", $"--net={_ns.NetnsPath}", "libvirtd");
        _libvirtd = libvirtd;
        await Poll.UntilAsync(
            () => libvirtd.HasExited || Sh.Try(TimeSpan.FromSeconds(10), "virsh", "-c", Uri, "version").Code == 0,
            TimeSpan.FromSeconds(45), () => libvirtd.Log());
        if (libvirtd.HasExited)
            throw new InvalidOperationException("libvirtd exited at start\n" + libvirtd.Log());
    }

    /// <summary>SIGKILL by PID: the daemon goes away without a goodbye, as in a crash.</summary>
    public void Kill() => _libvirtd?.Kill();

    public bool IsRunning => _libvirtd is { HasExited: false };

    public string Log() => (_libvirtd?.Log() ?? "libvirtd not started") + "\n" + (_virtlogd?.Log() ?? "");

    public string Virsh(params string[] args) => Sh.Run(["virsh", "-q", "-c", Uri, .. args]);

    public (int Code, string Stdout, string Stderr) TryVirsh(params string[] args) =>
        Sh.Try(TimeSpan.FromSeconds(60), ["virsh", "-q", "-c", Uri, .. args]);

    /// <summary>Domains of this suite (names start with <see cref="DomainPrefix"/>) left by a run that died.</summary>
    private void RemoveStaleDomains()
    {
        foreach (var name in Virsh("list", "--all", "--name").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!name.StartsWith(DomainPrefix, StringComparison.Ordinal))
                continue;
            TryVirsh("destroy", name);
            TryVirsh("undefine", name);
        }
    }

    private static int? RunningPid(string pidFile, string comm)
    {
        try
        {
            var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
            return RunDirectory.IsRunning(pid, comm) ? pid : null;
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _libvirtd?.Dispose();
        _virtlogd?.Dispose();
    }
}
