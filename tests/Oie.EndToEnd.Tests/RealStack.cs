using Oie.Testing;

namespace Oie.EndToEnd.Tests;

/// <summary>
/// What every test here shares, brought up once on first use (never when not root): the run directory, the network
/// namespace with conntrack, the real libvirtd inside it and the booted <see cref="QemuGuest"/>. Torn down at the end of
/// the collection, also after failures: guest destroyed, daemons killed by PID, namespace deleted. If bringing it up
/// fails, every test fails with that error and the daemons' logs.
/// </summary>
public sealed class RealStack : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Task? _started;
    private RunDirectory? _run;
    private ConntrackNamespace? _ns;
    private LibvirtDaemon? _libvirt;
    private QemuGuest? _guest;
    private GuestAssets? _assets;

    internal RunDirectory Run => _run!;
    internal ConntrackNamespace Namespace => _ns!;
    internal LibvirtDaemon Libvirt => _libvirt!;
    internal QemuGuest Guest => _guest!;
    internal GuestAssets Assets => _assets!;

    /// <summary>Skips when not root; otherwise brings the stack up once (or rethrows why it could not).</summary>
    internal async Task StartAsync()
    {
        Root.Require();
        await _gate.WaitAsync();
        try
        {
            _started ??= BringUpAsync();
        }
        finally
        {
            _gate.Release();
        }
        await _started;
        if (!_libvirt!.IsRunning)
            throw new InvalidOperationException("libvirtd is not running (an earlier test killed it and could not restart it)\n" + _libvirt.Log());
    }

    /// <summary>How long each part took to come up.</summary>
    internal string StartupTimes { get; private set; } = "";

    private async Task BringUpAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Mark(string what) => StartupTimes += $"{what} {clock.Elapsed.TotalSeconds:0.0}s; ";
        var missing = new[] { "libvirtd", "virtlogd", "virsh", "qemu-system-x86_64", "qemu-img", "qemu-nbd", "ip", "nft", "conntrack", "socat", "nsenter", "prometheus", "apt-get", "dpkg-deb" }
            .Where(p => !Programs.OnPath(p)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"missing programs: {string.Join(", ", missing)} (scripts/install-deps.sh installs them)");
        _run = RunDirectory.Create();
        _assets = GuestAssets.Build();
        Mark("guest kernel+initramfs");
        _ns = ConntrackNamespace.Create(_run);
        Mark("namespace");
        _libvirt = await LibvirtDaemon.StartAsync(_run, _ns);
        Mark("libvirtd");
        _guest = await QemuGuest.BootAsync(_libvirt, _run, _ns, _assets);
        Mark("guest booted and tracked");
    }

    /// <summary>The daemons' logs, for failure messages.</summary>
    internal string Logs() => _libvirt?.Log() ?? "(libvirtd not started)";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _guest?.Dispose();
        _libvirt?.Dispose();
        _ns?.Dispose();
        _run?.Dispose();
        _gate.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class RealStackCollection : ICollectionFixture<RealStack>
{
    public const string Name = "real libvirtd, QEMU guest, conntrack namespace";
}
