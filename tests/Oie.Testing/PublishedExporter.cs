using System.Diagnostics;

namespace Oie.Testing;

/// <summary>
/// The Native AOT binary (openstack_instance_exporter) that deployment tests run. scripts/test.sh publishes it before
/// the test run and points <c>OIE_EXPORTER_BINARY</c> at it; without that variable the first caller publishes it once
/// into artifacts/aot (a file lock keeps test projects that run in parallel from publishing twice).
/// </summary>
public static class PublishedExporter
{
    public const string EnvironmentVariable = "OIE_EXPORTER_BINARY";
    public const string FileName = "openstack_instance_exporter";

    private static readonly Lazy<string> Binary = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The repository root (the directory holding plugins.json) above the test assembly.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The binary's absolute path; publishes it first when needed. Throws when the publish fails.</summary>
    public static string Path => Binary.Value;

    private static string Locate()
    {
        var given = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(given))
        {
            return File.Exists(given)
                ? System.IO.Path.GetFullPath(given)
                : throw new FileNotFoundException($"{EnvironmentVariable}={given} does not exist");
        }

        var output = System.IO.Path.Combine(RepositoryRoot, "artifacts", "aot");
        Directory.CreateDirectory(output);
        using var gate = AcquireLock(System.IO.Path.Combine(output, ".publish.lock"));
        var binary = System.IO.Path.Combine(output, FileName);
        if (!File.Exists(binary) || !IsFresh(binary))
            Publish(output);
        return binary;
    }

    /// <summary>A binary published by an earlier test run of this same build is reused; older than the host's build, not.</summary>
    private static bool IsFresh(string binary)
    {
        var hostDll = System.IO.Path.Combine(RepositoryRoot, "src", "Oie.Host", "bin", "Release", "net10.0", FileName + ".dll");
        return File.Exists(hostDll) && File.GetLastWriteTimeUtc(binary) >= File.GetLastWriteTimeUtc(hostDll);
    }

    private static void Publish(string output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var arg in new[] { "publish", "src/Oie.Host", "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet publish did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet publish of the AOT binary took over 10 minutes");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
    }

    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(12);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200); // another test process is publishing; it holds the lock for the whole publish
            }
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "plugins.json")))
                return dir.FullName;
        }
        throw new InvalidOperationException("repository root (plugins.json) not found above " + AppContext.BaseDirectory);
    }
}
