using System.Globalization;
using System.Text;

namespace Oie.Abstractions;

/// <summary>Go's time.ParseDuration / Duration.String, so duration flags read and print as in the seed.</summary>
public static class GoDuration
{
    private const decimal MaxNanoseconds = long.MaxValue * 100m;

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s is "0")
            return true;
        if (s.IsEmpty)
            return false;
        decimal totalNs = 0;
        while (!s.IsEmpty)
        {
            var n = 0;
            while (n < s.Length && (char.IsAsciiDigit(s[n]) || s[n] == '.'))
                n++;
            if (n == 0 || n > 20 || !decimal.TryParse(s[..n], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                return false;
            s = s[n..];
            var u = 0;
            while (u < s.Length && !char.IsAsciiDigit(s[u]) && s[u] != '.')
                u++;
            decimal unitNs = s[..u] switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                "h" => 3_600_000_000_000m,
                _ => -1m,
            };
            if (unitNs < 0)
                return false;
            s = s[u..];
            // Refuse what a TimeSpan cannot hold (about 29,000 years) rather than overflow.
            if (number > MaxNanoseconds / unitNs)
                return false;
            totalNs += number * unitNs;
            if (totalNs > MaxNanoseconds)
                return false;
        }
        var ticks = (long)(totalNs / 100m);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    /// <summary>Formats like Go's Duration.String for whole-unit values: 10s, 1m0s, 1h0m0s, 1.5s, 300ms.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
            return "0s";
        var sb = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            sb.Append('-');
            value = value.Negate();
        }
        if (value < TimeSpan.FromSeconds(1))
            return sb.Append((value.Ticks / 10_000m).ToString(CultureInfo.InvariantCulture)).Append("ms").ToString();
        var hours = (long)value.TotalHours;
        var minutes = value.Minutes;
        var seconds = value.Seconds + value.Ticks % TimeSpan.TicksPerSecond / (decimal)TimeSpan.TicksPerSecond;
        if (hours > 0)
            sb.Append(hours).Append('h');
        if (hours > 0 || minutes > 0)
            sb.Append(minutes).Append('m');
        sb.Append(seconds.ToString("0.#########", CultureInfo.InvariantCulture)).Append('s');
        return sb.ToString();
    }
}
