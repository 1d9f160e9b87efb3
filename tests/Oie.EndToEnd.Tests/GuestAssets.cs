namespace Oie.EndToEnd.Tests;

/// <summary>The guests' kernel and busybox initramfs, built once by infra/build-guest.sh and cached across runs.</summary>
internal sealed record GuestAssets(string Kernel, string Initrd)
{
    public static GuestAssets Build()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "infra", "build-guest.sh");
        var dir = RunDirectory.GuestCache;
        Sh.Run(TimeSpan.FromMinutes(5), "bash", script, dir);
        return new GuestAssets(Path.Combine(dir, "vmlinuz"), Path.Combine(dir, "initrd.gz"));
    }
}
