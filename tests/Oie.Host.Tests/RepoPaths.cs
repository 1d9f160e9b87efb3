namespace Oie.Host.Tests;

internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SampleNode => Path.Combine(Root, "samples", "node.xml");

    /// <summary>The bundled conntrack capture of the sample node's flows (the demo's -conntrack.path).</summary>
    public static string SampleConntrack => Path.Combine(Root, "samples", "conntrack.txt");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "plugins.json")))
                return dir.FullName;
        }
        throw new InvalidOperationException("repository root (plugins.json) not found above " + AppContext.BaseDirectory);
    }
}
