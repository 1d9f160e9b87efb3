using Microsoft.Extensions.Logging;

namespace Oie.Collectors.Conntrack;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "oie_conntrack_max is not exported: {Error}")]
    public static partial void MaxUnreadable(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "conntrack: {Invalid} fixed IPs could not be parsed and {Duplicate} are listed more than once (counted for the first only); invalid ones are not attributed")]
    public static partial void IndexProblems(ILogger logger, int invalid, int duplicate);

    [LoggerMessage(Level = LogLevel.Information, Message = "conntrack: reading {Source} once per cycle, deadline {Timeout}")]
    public static partial void Reading(ILogger logger, string source, string timeout);
}
