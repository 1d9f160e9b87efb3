using Oie.Abstractions;

namespace Oie.Libvirt;

/// <summary>One cycle's read of libvirt.</summary>
/// <param name="Available">False when libvirt could not be read; <paramref name="Instances"/> is then empty.</param>
/// <param name="Instances">The active domains, in listing order.</param>
/// <param name="Error">Why libvirt was unavailable.</param>
/// <param name="DomainErrors">Domains that could not be read fully this cycle: skipped (XML/metadata) or returned
/// without counters (stats call failed). Domains that vanished mid-cycle are not errors.</param>
public sealed record LibvirtReadResult(bool Available, IReadOnlyList<Instance> Instances, string? Error, int DomainErrors);
