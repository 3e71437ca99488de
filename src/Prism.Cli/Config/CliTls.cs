using Prism.Client;

namespace Prism.Cli.Config;

/// <summary>
/// The TLS side of every prismctl connection (issuer, admin, proxy): <see cref="PrismTls"/> with the files of
/// <see cref="CliSettings"/>, its errors turned into usage errors naming the variables and config keys.
/// </summary>
public static class CliTls
{
    /// <summary>Loads the files <paramref name="settings"/> name.</summary>
    /// <exception cref="CliException">A file does not load, or only one of the certificate and key is given (usage error naming the variable).</exception>
    public static PrismTls From(CliSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            return PrismTls.Load(settings.CaFile, settings.ClientCertificateFile, settings.ClientKeyFile);
        }
        catch (PrismTlsException e)
        {
            var names = e.File == PrismTlsFile.CaBundle
                ? $"{CliEnvironment.CaFile} (tls.ca_file)"
                : $"{CliEnvironment.ClientCertificateFile} and {CliEnvironment.ClientKeyFile} (tls.client_cert_file, tls.client_key_file)";
            throw CliException.Usage($"{names}: {e.Message}");
        }
    }
}
