namespace Oie.Libvirt;

/// <summary>A libvirt call failed; <see cref="Code"/> is the virErrorNumber (e.g. 42 = VIR_ERR_NO_DOMAIN).</summary>
public sealed class LibvirtException(int code, string message) : Exception(message)
{
    public const int ErrInvalidArg = 8;
    public const int ErrNoSupport = 3;
    public const int ErrNoDomain = 42;
    public const int ErrOperationUnsupported = 84;

    public int Code { get; } = code;
}
