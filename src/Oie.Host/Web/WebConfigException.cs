namespace Oie.Host.Web;

/// <summary>The <c>-web.config.file</c> is missing or invalid; the message names the file, the line and the problem.</summary>
internal sealed class WebConfigException(string message, Exception? inner = null) : Exception(message, inner);
