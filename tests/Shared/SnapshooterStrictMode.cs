using System.Runtime.CompilerServices;

namespace Oie.Tests;

internal static class SnapshooterStrictMode
{
    /// <summary>
    /// Snapshooter creates a missing snapshot and passes, so an uncommitted snapshot would make CI green without
    /// checking anything. Strict mode fails instead (writing the candidate to __mismatch__/ for review). It is on unless
    /// SNAPSHOOTER_STRICT_MODE is already set: run with SNAPSHOOTER_STRICT_MODE=false to create new snapshots.
    /// </summary>
    [ModuleInitializer]
    internal static void Enable()
    {
        if (Environment.GetEnvironmentVariable("SNAPSHOOTER_STRICT_MODE") is null)
        {
            Environment.SetEnvironmentVariable("SNAPSHOOTER_STRICT_MODE", "true");
        }
    }
}
