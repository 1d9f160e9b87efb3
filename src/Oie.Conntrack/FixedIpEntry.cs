using Oie.Abstractions;
using Oie.Net;

namespace Oie.Conntrack;

/// <param name="FixedIp">As written in the metadata.</param>
/// <param name="Key">The parsed address: format it for the canonical text.</param>
public readonly record struct FixedIpEntry(Instance Instance, FixedIp FixedIp, IpKey Key);
