using System.Runtime.InteropServices;

namespace Oie.Libvirt.Tests;

public partial class ErrorHandlerTests
{
    [LibraryImport("libc.so.6", EntryPoint = "dup")]
    private static partial int Dup(int fd);

    [LibraryImport("libc.so.6", EntryPoint = "dup2")]
    private static partial int Dup2(int fd, int fd2);

    [LibraryImport("libc.so.6", EntryPoint = "close")]
    private static partial int Close(int fd);

    /// <summary>libvirt's default handler prints every error to stderr; the exporter reads them back instead.</summary>
    [Fact]
    public void Libvirt_errors_are_not_printed_to_stderr()
    {
        using var dir = new Fixtures.TempDir();
        var captured = dir.File("stderr");
        var saved = Dup(2);
        try
        {
            using (var file = File.Create(captured))
            {
                Dup2((int)file.SafeFileHandle.DangerousGetHandle(), 2);
                using var conn = LibvirtConnection.OpenReadOnly(Fixtures.Uri(Fixtures.Node));
                var domains = conn.ListActiveDomains();
                Assert.Throws<LibvirtException>(() => LibvirtConnection.GetBlockStats(domains[0], "vdz-stderr"));
                foreach (var d in domains)
                    d.Dispose();
            }
        }
        finally
        {
            Dup2(saved, 2);
            Close(saved);
        }

        // libvirt's default handler writes "libvirt: <domain> error : <message>".
        Assert.DoesNotContain("vdz-stderr", File.ReadAllText(captured), StringComparison.Ordinal);
    }
}
