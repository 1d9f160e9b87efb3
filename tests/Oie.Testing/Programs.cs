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
}
