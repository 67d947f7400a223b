using Partnerships.Api.Hosting;

var app = PartnershipsApp.Create(args);
await PartnershipsApp.StartAsync(app);
app.Logger.LogInformation("Partnerships API listening on {Urls}", string.Join(", ", app.Urls));
await app.WaitForShutdownAsync();
