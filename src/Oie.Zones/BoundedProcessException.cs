namespace Oie.Zones;

/// <summary>Why <see cref="BoundedProcess.Run"/> produced no result.</summary>
internal enum BoundedProcessFailure
{
    /// <summary>The program could not be started (not found, not executable).</summary>
    CannotStart,

    /// <summary>The deadline passed; the process tree was killed.</summary>
    TimedOut,

    /// <summary>Stdout exceeded the limit; the process tree was killed.</summary>
    OutputTooLarge,

    /// <summary>Reading stdout failed; the process tree was killed.</summary>
    OutputUnreadable,
}

/// <summary>A <see cref="BoundedProcess"/> run that did not finish with an exit status; the message says what and why.</summary>
internal sealed class BoundedProcessException(BoundedProcessFailure failure, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public BoundedProcessFailure Failure { get; } = failure;
}
