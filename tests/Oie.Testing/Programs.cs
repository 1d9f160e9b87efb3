using System.Diagnostics;

namespace Oie.Testing;

/// <summary>What the tests that run the machine's tools (ip, nft, conntrack, virsh, …) share.</summary>
public static class Programs
{
    /// <summary>True when a program of that name is on PATH (or in /usr/sbin, /sbin).</summary>
    public static bool OnPath(string program) =>
        ((Environment.GetEnvironmentVariable("PATH") ?? "") + ":/usr/sbin:/sbin").Split(':')
        .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, program)));

    /// <summary>argv[0] with the rest as arguments, no shell, all three standard streams redirected.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> argv)
    {
        var list = argv.ToList();
        var info = new ProcessStartInfo(list[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in list.Skip(1))
            info.ArgumentList.Add(arg);
        return info;
    }

    /// <summary>Runs argv without a shell and returns its exit code and output; kills its whole tree and throws
    /// <see cref="TimeoutException"/> when it has not finished within <paramref name="timeout"/> (60 s).</summary>
    public static (int Code, string Stdout, string Stderr) Exec(IReadOnlyList<string> argv,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(argv);
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var info = StartInfo(argv);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"`{string.Join(' ', argv)}` did not finish within {limit.TotalSeconds:0} s");
        }
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
