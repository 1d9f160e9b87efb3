using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Oie.Libvirt.Tests;

internal static class Fixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    /// <summary>The test driver's URI for a node file: test:// + absolute path.</summary>
    public static string Uri(string path) => "test://" + path;

    public static LibvirtInstanceSource Source(string path, FakeTimeProvider time) =>
        new(Uri(path), NullLogger<LibvirtInstanceSource>.Instance, time);

    /// <summary>fixtures/node.xml: instance-00000001..4 from gen_node.py, plus plain-vm (no Nova metadata),
    /// instance-paused (runstate 3) and instance-iscsi (cdrom + two block disks).</summary>
    public static string Node => Path("node.xml");

    /// <summary>A temporary directory deleted on dispose, for node files the test rewrites.</summary>
    public sealed class TempDir : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("oie-libvirt-").FullName;

        public string File(string name) => System.IO.Path.Combine(Dir, name);

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }
}
