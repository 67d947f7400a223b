using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Partnerships.Storage.Secrets;

namespace Partnerships.Api.WebConsole;

/// <summary>
/// Seals each Data Protection key's secret XML with the service's at-rest key (<see cref="SecretBox"/>), like every other
/// secret the service must read back: the store alone never opens a console cookie.
/// </summary>
public sealed class SealedXmlEncryptor(SecretBox box) : IXmlEncryptor
{
    internal const string Context = "data_protection_keys";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement) => new(
        new XElement("sealed", box.Seal(plaintextElement.ToString(SaveOptions.DisableFormatting), Context)), typeof(SealedXmlDecryptor));
}

/// <summary>Opens what <see cref="SealedXmlEncryptor"/> sealed, with the current or a previous at-rest key. Made by the framework from its type name.</summary>
public sealed class SealedXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        XElement.Parse(services.GetRequiredService<SecretBox>().Open(encryptedElement.Value, SealedXmlEncryptor.Context));
}
