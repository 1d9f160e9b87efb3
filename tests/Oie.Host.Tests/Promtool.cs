using System.Diagnostics;

namespace Oie.Host.Tests;

/// <summary>The real <c>promtool check metrics</c> (Debian's prometheus package; scripts/install-deps.sh installs it).</summary>
internal static class Promtool
{
    /// <returns>promtool's exit code (0 clean, 1 parse error, 3 lint problems) and what it printed.</returns>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(byte[] exposition)
    {
        var start = new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(exposition);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }
}

internal static class PromtoolAssert
{
    /// <summary>The lints the seed's names cause, one regex per line; scripts/smoke.sh reads the same file.</summary>
    private static readonly System.Text.RegularExpressions.Regex[] SeedLints =
    [
        .. File.ReadAllLines(Path.Combine(RepoPaths.Root, "scripts", "promtool-seed-lints.txt"))
            .Where(line => line.Length > 0)
            .Select(line => new System.Text.RegularExpressions.Regex(line)),
    ];

    /// <summary>
    /// The exposition parses, and the only lint findings are the seed's counter names without a _total suffix and its
    /// gauge oie_conntrack_ip_total with one, which dashboards depend on and which we therefore keep.
    /// </summary>
    public static async Task Valid(byte[] exposition)
    {
        var (exitCode, output) = await Promtool.CheckMetricsAsync(exposition);
        if (exitCode == 0)
            return;
        Assert.True(exitCode == 3, $"promtool could not parse the exposition (exit {exitCode}): {output}");
        var unexpected = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !SeedLints.Any(r => r.IsMatch(l))).ToList();
        Assert.True(unexpected.Count == 0, "promtool lint: " + string.Join("\n", unexpected));
    }
}
