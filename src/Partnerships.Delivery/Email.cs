using System.Text.Json;
using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Partnerships.Application.SideEffects;
using Partnerships.Core.Validation;
using Partnerships.Storage.Stores;

namespace Partnerships.Delivery;

public sealed record EmailOptions
{
    /// <summary>Email:Smtp:Host — when empty, mail is written as .eml files to the pickup folder instead.</summary>
    public string? SmtpHost { get; init; }
    public int SmtpPort { get; init; } = 587;
    /// <summary>Email:Smtp:Security — None, StartTls, StartTlsWhenAvailable or SslOnConnect.</summary>
    public SecureSocketOptions Security { get; init; } = SecureSocketOptions.StartTlsWhenAvailable;
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string From { get; init; } = "Partnerships <no-reply@partnerships.invalid>";
    public required string PickupDirectory { get; init; }
    public string TemplateDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "Templates", "Email");
}

/// <summary>
/// Renders a template file (first line <c>Subject: …</c>, a line <c>---</c>, then the text body; <c>{{field}}</c> takes the
/// model's field) into a MIME message.
/// </summary>
public static partial class EmailTemplates
{
    public static MimeMessage Render(EmailOptions options, EmailMessage email, string messageId)
    {
        var path = Path.Combine(options.TemplateDirectory, email.Template + ".txt");
        var text = File.ReadAllText(path);
        var separator = text.IndexOf("\n---\n", StringComparison.Ordinal);
        if (!text.StartsWith("Subject: ", StringComparison.Ordinal) || separator < 0)
        {
            throw new InvalidOperationException($"Email template {path} must start with 'Subject: ' and separate the body with a '---' line");
        }
        var message = new MimeMessage { Subject = Fill(text[9..separator].Trim(), email.Model) };
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(MailboxAddress.Parse(email.To));
        message.MessageId = messageId + "@partnerships";
        message.Body = new TextPart("plain") { Text = Fill(text[(separator + 5)..], email.Model) };
        return message;
    }

    /// <summary>
    /// Fills the placeholders. Every value becomes one clean line (<see cref="TextRules.Clean"/>), whatever the store holds,
    /// so a value can never add a line to the body or a header to the message: only the template has line breaks.
    /// </summary>
    private static string Fill(string template, JsonElement model) => Placeholder().Replace(template, m =>
        model.ValueKind == JsonValueKind.Object && model.TryGetProperty(m.Groups[1].Value, out var v)
            ? TextRules.Clean(v.ValueKind == JsonValueKind.String ? TextRules.TryGetString(v, out var text) ? text : "" : v.GetRawText())
            : "");

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex Placeholder();
}

/// <summary>Sends email through SMTP (MailKit) or, with no SMTP server configured, drops .eml files into the pickup folder.</summary>
public sealed class EmailChannel(EmailOptions options) : IDeliveryChannel
{
    public string Name => Channels.Email;

    public async Task<DeliveryResult> DeliverAsync(OutboxRow message, CancellationToken ct)
    {
        var email = JsonSerializer.Deserialize<EmailMessage>(message.Payload, Partnerships.Application.Pipeline.Envelope.Json)
            ?? throw new InvalidOperationException("empty email payload");
        var mime = EmailTemplates.Render(options, email, message.MessageId);
        if (string.IsNullOrWhiteSpace(options.SmtpHost))
        {
            await PickupFolder.WriteAsync(options, message.MessageId, mime, ct);
            return DeliveryResult.Ok;
        }
        using var smtp = new SmtpClient { Timeout = 15000 };
        using var span = DeliveryTelemetry.Source.StartActivity("smtp send", System.Diagnostics.ActivityKind.Client);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("server.address", options.SmtpHost);
            span.SetTag("server.port", options.SmtpPort);
        }
        try
        {
            await smtp.ConnectAsync(options.SmtpHost, options.SmtpPort, options.Security, ct);
            if (!string.IsNullOrEmpty(options.Username)) await smtp.AuthenticateAsync(options.Username, options.Password ?? "", ct);
            await smtp.SendAsync(mime, ct);
            await smtp.DisconnectAsync(true, ct);
            return DeliveryResult.Ok;
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, $"SMTP {(int)e.StatusCode}");
            return DeliveryResult.Reject($"SMTP {(int)e.StatusCode}: {e.Message}");
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or IOException or System.Net.Sockets.SocketException or AuthenticationException)
        {
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            return DeliveryResult.Fail($"SMTP: {e.Message}");
        }
    }
}

/// <summary>The pickup folder: one <c>{message id}.eml</c> per message, for a pickup reader (or a person) to take.</summary>
public static class PickupFolder
{
    public static string PathOf(EmailOptions options, string messageId) => Path.Combine(options.PickupDirectory, messageId + ".eml");

    public static async Task WriteAsync(EmailOptions options, string messageId, MimeMessage mime, CancellationToken ct)
    {
        // Mail holds merchants' addresses and onboarding links: 0600 in a 0700 folder, like every file the service writes.
        Partnerships.Storage.Secrets.PrivateFiles.EnsureFolder(options.PickupDirectory);
        // Written under a temporary name and moved, so a pickup reader never sees half a message; the name is the
        // message id, so a redelivery overwrites rather than duplicates.
        var final = PathOf(options, messageId);
        var temp = final + ".tmp";
        await using (var stream = new FileStream(temp, Partnerships.Storage.Secrets.PrivateFiles.CreateOptions()))
        {
            await mime.WriteToAsync(stream, ct);
        }
        Partnerships.Storage.Secrets.PrivateFiles.Restrict(temp); // a leftover temporary file keeps its old mode when reused
        File.Move(temp, final, overwrite: true);
    }
}
