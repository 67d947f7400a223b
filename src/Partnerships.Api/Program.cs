using Partnerships.Api.Hosting;

try
{
    var app = PartnershipsApp.Create(args);
    await PartnershipsApp.StartAsync(app);
    app.Logger.LogInformation("Partnerships API listening on {Urls}", string.Join(", ", app.Urls));
    await app.WaitForShutdownAsync();
    return 0;
}
catch (StartupException e)
{
    // One line an operator acts on (what, which setting, how to fix); the exit code says which kind (docs/operations.md).
    Console.Error.WriteLine($"partnerships-api: {e.Message}");
    return e.ExitCode;
}
