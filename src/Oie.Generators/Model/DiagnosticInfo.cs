using System.Linq;
using Microsoft.CodeAnalysis;

namespace Oie.Generators.Model
{
    /// <summary>A diagnostic as plain, equatable data (a <see cref="Diagnostic"/> is neither).</summary>
    internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArgs) =>
            new DiagnosticInfo(descriptor, location, messageArgs.ToEquatableArray());

        public Diagnostic ToDiagnostic() =>
            Diagnostic.Create(Descriptor, Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, MessageArgs.Cast<object>().ToArray());
    }
}
