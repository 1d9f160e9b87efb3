namespace Oie.Libvirt;

/// <summary>Where a collection cycle gets its instances from: libvirt, directly or under a deadline.</summary>
public interface IInstanceSource
{
    /// <summary>One cycle's read. Never throws for libvirt problems: they come back as an unavailable result.</summary>
    LibvirtReadResult Read();
}
