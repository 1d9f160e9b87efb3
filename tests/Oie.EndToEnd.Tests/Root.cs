namespace Oie.EndToEnd.Tests;

/// <summary>The one reason a test here may skip: it is not running as root.</summary>
internal static class Root
{
    public const string SkipReason =
        "SKIPPED: needs root (starts libvirtd and QEMU guests, creates a network namespace with kernel conntrack); run the tests as root";

    public static void Require() => Skip.IfNot(Environment.IsPrivilegedProcess, SkipReason);
}
