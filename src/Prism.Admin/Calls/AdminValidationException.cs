namespace Prism.Admin.Calls;

/// <summary>A request field is invalid (INVALID_ARGUMENT). The message names the field.</summary>
internal sealed class AdminValidationException(string field, string problem) : Exception($"{field}: {problem}")
{
    /// <summary>The offending field, for example <c>namespace.name</c>.</summary>
    public string Field { get; } = field;
}
