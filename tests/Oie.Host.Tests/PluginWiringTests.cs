using System.Text.RegularExpressions;

namespace Oie.Host.Tests;

/// <summary>
/// plugins.json decides what is built: a copy of the source tree with one plugin's line removed builds a host that has
/// neither that plugin's assembly nor its -collector switch. A real `dotnet build`, so it takes a little while.
/// </summary>
public class PluginWiringTests
{
    [Fact]
    public async Task Removing_a_plugin_line_removes_the_plugin_from_the_build()
    {
        var work = Directory.CreateTempSubdirectory("oie-wiring-");
        try
        {
            foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
                File.Copy(Path.Combine(RepoPaths.Root, file), Path.Combine(work.FullName, file));
            CopySources(Path.Combine(RepoPaths.Root, "src"), Path.Combine(work.FullName, "src"));
            var plugins = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "plugins.json"));
            var withoutNetwork = Regex.Replace(plugins, @"\s*\{[^{}]*""name""\s*:\s*""network""[^{}]*\},?", "");
            Assert.NotEqual(plugins, withoutNetwork);
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "plugins.json"), withoutNetwork.Replace(",\n  ]", "\n  ]"));

            var output = Path.Combine(work.FullName, "out");
            var (buildExit, buildLog) = await Run("dotnet", work.FullName, "build", "src/Oie.Host", "-c", "Release", "-o", output, "-nologo", "--disable-build-servers");
            Assert.True(buildExit == 0, buildLog);
            Assert.False(File.Exists(Path.Combine(output, "Oie.Collectors.Network.dll")), "the removed plugin was still built");
            Assert.True(File.Exists(Path.Combine(output, "Oie.Collectors.Cpu.dll")));

            var (helpExit, help) = await Run("dotnet", work.FullName, Path.Combine(output, "openstack_instance_exporter.dll"), "-h");
            Assert.Equal(0, helpExit);
            Assert.Contains("-collector.cpu", help);
            Assert.DoesNotContain("-collector.network", help);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static void CopySources(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, dir);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                continue;
            Directory.CreateDirectory(Path.Combine(to, relative));
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                continue;
            File.Copy(file, Path.Combine(to, relative));
        }
    }

    private static async Task<(int ExitCode, string Output)> Run(string program, string workingDirectory, params string[] args)
    {
        var (exitCode, stdout, stderr) = await ProcessRunner.RunAsync(program, args, workingDirectory, TimeSpan.FromMinutes(5));
        return (exitCode, stdout + stderr);
    }
}
