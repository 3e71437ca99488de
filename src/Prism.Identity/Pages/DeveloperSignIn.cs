using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Prism.Hosting.Posture;
using Prism.Identity.Accounts;

namespace Prism.Identity.Pages;

/// <summary>
/// RFC-016 auto-login on the login page: in the dev posture, when the developer identity signs in with its
/// well-known development password (as the built-in development file has it), the sign-in form has a second
/// button that signs in with those credentials. In the production posture, or when that password does not
/// sign the developer in, there is no button and the field it would send is ignored.
/// </summary>
internal static class DeveloperSignIn
{
    public const string Email = "dev@local.prism";
    public const string Password = "devpass";

    /// <summary>The form field of the button.</summary>
    public const string Field = "prism_developer";

    // One bcrypt comparison per directory (the configuration is read once), not one per page.
    private static readonly ConditionalWeakTable<StaticPasswordDirectory, object> Offered = [];

    /// <summary>Whether the login page offers the one-click developer sign-in.</summary>
    public static bool IsOffered(IConfiguration configuration, StaticPasswordDirectory directory) =>
        !DeploymentPosture.IsProduction(configuration)
        && (bool)Offered.GetValue(directory, d => d.Enabled && d.Verify(Email, Password) is not null);

    /// <summary>The second submit button of the sign-in form (it skips the browser's required-field check), or empty.</summary>
    public static string Button(IConfiguration configuration, StaticPasswordDirectory directory) =>
        IsOffered(configuration, directory)
            ? $" <button type=\"submit\" name=\"{Field}\" value=\"1\" formnovalidate>Sign in as {Email}</button><p class=\"muted\">Development only: the developer identity's password is {Password}.</p>"
            : "";

    /// <summary>The credentials the form sent, or the developer's when its button was pressed and the button is offered.</summary>
    public static (string? Email, string? Password) Credentials(IConfiguration configuration, StaticPasswordDirectory directory, string? pressed, string? email, string? password) =>
        pressed == "1" && IsOffered(configuration, directory) ? (Email, Password) : (email, password);
}
