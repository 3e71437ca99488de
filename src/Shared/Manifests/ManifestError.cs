namespace Prism.Manifests;

/// <summary>
/// One local validation error of a manifest file, printed as one line naming the file, the document
/// (number, and kind/name when known), the line, the field and the reason. Never holds a field's value.
/// </summary>
internal sealed record ManifestError(string Source, int Document, string? Kind, string? Name, long? Line, string? Field, string Reason)
{
    /// <summary>The line prismctl prints (after <c>prismctl: usage error: </c>).</summary>
    public override string ToString()
    {
        var where = Document > 0 ? $"{Source}: document {Document}" : Source;
        if (Kind is not null)
        {
            where += Name is { Length: > 0 } ? $" ({Kind}/{Name})" : $" ({Kind})";
        }

        if (Line is { } line)
        {
            where += $", line {line}";
        }

        return Field is null ? $"{where}: {Reason}" : $"{where}: field '{Field}': {Reason}";
    }
}
