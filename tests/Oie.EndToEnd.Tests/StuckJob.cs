using System.Globalization;

namespace Oie.EndToEnd.Tests;

/// <summary>
/// A domain frozen inside a job: its QEMU stopped (SIGSTOP), so its monitor never answers, and a monitor command that
/// took the domain's job and waits forever. Dispose resumes QEMU and stops the command by PID.
/// </summary>
internal sealed class StuckJob : IDisposable
{
    private readonly string _qemu;

    private StuckJob(string qemu, Daemon holder)
    {
        _qemu = qemu;
        Holder = holder;
    }

    /// <summary>The <c>virsh qemu-monitor-command</c> holding the job; it must not have exited while the job is meant to be held.</summary>
    public Daemon Holder { get; }

    public static async Task<StuckJob> HoldAsync(RunDirectory run, LibvirtDomain domain, string holderName)
    {
        var qemu = domain.QemuPid.ToString(CultureInfo.InvariantCulture);
        Sh.Run("kill", "-STOP", qemu);
        var holder = Daemon.StartAs(run, holderName, "virsh", "virsh", "-c", LibvirtDaemon.Uri,
            "qemu-monitor-command", domain.Name, """{"execute":"query-status"}""");
        var stuck = new StuckJob(qemu, holder);
        try
        {
            // Held once a NOWAIT stats call skips the monitor-backed block counters (a probe that found the job free would
            // take it and hang itself, which leaves the job held just the same).
            await Poll.UntilAsync(() =>
            {
                var (code, stdout, _) = Sh.Try(TimeSpan.FromSeconds(3), "virsh", "-c", LibvirtDaemon.Uri, "domstats", "--nowait", "--block", domain.Name);
                return code == -1 || (code == 0 && stdout.Contains("block.0.name", StringComparison.Ordinal) &&
                                      !stdout.Contains("block.0.rd.reqs", StringComparison.Ordinal));
            }, TimeSpan.FromSeconds(20), () => "the stuck domain's job was never held\n" + holder.Log());
            return stuck;
        }
        catch
        {
            stuck.Dispose();
            throw;
        }
    }

    /// <summary>Lets QEMU run again: the held monitor command, and the job with it, can then finish.</summary>
    public void Resume() => Sh.Run("kill", "-CONT", _qemu);

    public void Dispose()
    {
        Sh.Try("kill", "-CONT", _qemu);
        Holder.Dispose();
    }
}
