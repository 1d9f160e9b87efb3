namespace Oie.Host.Web;

/// <summary>The shape of a bcrypt hash as htpasswd -B and Go's x/crypto/bcrypt write it: <c>$2y$10$</c> + 53 characters.</summary>
internal static class Bcrypt
{
    private const string Alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static bool IsHash(string hash) =>
        hash.Length == 60 && hash[0] == '$' && hash[1] == '2' && hash[2] is 'a' or 'b' or 'y' && hash[3] == '$' &&
        char.IsAsciiDigit(hash[4]) && char.IsAsciiDigit(hash[5]) && (hash[4] - '0') * 10 + (hash[5] - '0') is >= 4 and <= 31 &&
        hash[6] == '$' && hash.AsSpan(7).IndexOfAnyExcept(Alphabet) < 0;
}
