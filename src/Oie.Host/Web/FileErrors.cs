namespace Oie.Host.Web;

/// <summary>Why a file the operator named cannot be read, in words to act on rather than the runtime's message.</summary>
internal static class FileErrors
{
    public static string Describe(Exception e, string path) => e switch
    {
        _ when Directory.Exists(path) => "is a directory: give the path of a file",
        FileNotFoundException or DirectoryNotFoundException => "not found: check the path",
        UnauthorizedAccessException => "permission denied: make it readable by the user the exporter runs as",
        PathTooLongException => "the path is too long",
        _ => $"cannot be read ({e.GetType().Name}: {e.Message})",
    };
}
