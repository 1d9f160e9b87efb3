using System.Globalization;

namespace Oie.EndToEnd.Tests;

/// <summary>
/// /var/tmp/oie-e2e/run-PID: this run's files (domain disks, configs, logs) and a ledger of the PIDs and network
/// namespace it started. <see cref="CleanStale"/> ends what a run that died (killed test host, power cut) left behind:
/// the processes of its ledger (by PID, after checking the PID still names the same program) and its namespace.
/// The guest's kernel and initramfs live in /var/tmp/oie-e2e/guest and are reused across runs.
/// </summary>
internal sealed class RunDirectory : IDisposable
{
    public const string Root = "/var/tmp/oie-e2e";
    private const string Prefix = "run-";
    private readonly Lock _gate = new();

    private RunDirectory(string path)
    {
        Path = path;
    }

    public string Path { get; }
    public static string GuestCache => System.IO.Path.Combine(Root, "guest");
    private string Ledger => File("pids");

    public static RunDirectory Create()
    {
        CleanStale();
        var path = System.IO.Path.Combine(Root, Prefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
        Directory.CreateDirectory(path);
        // QEMU runs as libvirt-qemu and must reach the disks and logs here.
        System.IO.File.SetUnixFileMode(Root, (UnixFileMode)0b111_101_101);
        System.IO.File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return new RunDirectory(path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void RecordPid(string name, int pid, string program)
    {
        lock (_gate)
            System.IO.File.AppendAllText(Ledger, $"{pid} {Comm(program)} {name}\n");
    }

    public void ForgetPid(string name, int pid)
    {
        lock (_gate)
        {
            if (!System.IO.File.Exists(Ledger))
                return;
            var keep = System.IO.File.ReadAllLines(Ledger).Where(l => !l.StartsWith($"{pid} ", StringComparison.Ordinal) || !l.EndsWith(" " + name, StringComparison.Ordinal));
            System.IO.File.WriteAllLines(Ledger, keep);
        }
    }

    public void RecordNamespace(string name) => System.IO.File.AppendAllText(File("netns"), name + "\n");

    /// <summary>The kernel's comm of a program (its file name, cut at 15 characters).</summary>
    public static string Comm(string program)
    {
        var name = System.IO.Path.GetFileName(program);
        return name.Length > 15 ? name[..15] : name;
    }

    public static bool IsRunning(int pid, string comm)
    {
        try
        {
            // A zombie (state Z, after the comm in parentheses) has ended already.
            var stat = System.IO.File.ReadAllText($"/proc/{pid}/stat");
            return System.IO.File.ReadAllText($"/proc/{pid}/comm").Trim() == comm && stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Ends what runs that are no longer alive left: their recorded processes and namespaces, then their files.</summary>
    public static void CleanStale()
    {
        if (!Directory.Exists(Root))
            return;
        foreach (var dir in Directory.GetDirectories(Root, Prefix + "*"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(dir)[Prefix.Length..], CultureInfo.InvariantCulture, out var owner) ||
                owner == Environment.ProcessId || Directory.Exists($"/proc/{owner}"))
            {
                continue;
            }

            var ledger = System.IO.Path.Combine(dir, "pids");
            if (System.IO.File.Exists(ledger))
            {
                foreach (var line in System.IO.File.ReadAllLines(ledger))
                {
                    var parts = line.Split(' ', 3);
                    if (parts.Length != 3 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid) || !IsRunning(pid, parts[1]))
                        continue;
                    Sh.Try(TimeSpan.FromSeconds(10), "kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture));
                    var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
                    while (IsRunning(pid, parts[1]) && DateTime.UtcNow < deadline)
                        Thread.Sleep(50);   // gone once init has reaped it (its parent, the dead run, is gone)
                }
            }
            var namespaces = System.IO.Path.Combine(dir, "netns");
            if (System.IO.File.Exists(namespaces))
            {
                foreach (var ns in System.IO.File.ReadAllLines(namespaces).Where(l => l.Length > 0))
                    Sh.Try(TimeSpan.FromSeconds(10), "ip", "netns", "del", ns);
            }
            Directory.Delete(dir, recursive: true);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
