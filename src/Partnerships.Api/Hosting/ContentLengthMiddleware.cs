namespace Partnerships.Api.Hosting;

/// <summary>
/// Every GET and HEAD answer states its Content-Length, and a HEAD states the one its GET would: a body written without
/// a declared length (the OpenAPI document, pages) is buffered and measured before it is sent. Envelopes declare their
/// length themselves and pass straight through. A HEAD's body is measured, never sent (Kestrel drops it).
/// </summary>
public sealed class ContentLengthMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var head = HttpMethods.IsHead(context.Request.Method);
        if (!head && !HttpMethods.IsGet(context.Request.Method))
        {
            await next(context);
            return;
        }
        var response = context.Response;
        var original = response.Body;
        await using var buffer = new LengthMeasuringStream(response, original);
        response.Body = buffer;
        var wrapper = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()!;
        try
        {
            await next(context);
            // Whatever went through Response.BodyWriter reaches the buffer now.
            await wrapper.CompleteAsync();
        }
        finally
        {
            response.Body = original;
        }
        if (buffer.PassingThrough || response.HasStarted) return;
        if (response.ContentLength is null && response.Headers.TransferEncoding.Count == 0 && response.StatusCode is not (204 or 304))
        {
            response.ContentLength = buffer.Buffered.Length;
        }
        if (!head && buffer.Buffered.Length > 0)
        {
            buffer.Buffered.Position = 0;
            await buffer.Buffered.CopyToAsync(original, context.RequestAborted);
        }
    }

    /// <summary>
    /// Decides at the first write: a response that already declares its length (or its transfer coding) passes through;
    /// otherwise the body is kept in memory. Seekable while buffering, so HttpResponse.Clear (error handlers) empties it.
    /// </summary>
    private sealed class LengthMeasuringStream(HttpResponse response, Stream inner) : Stream
    {
        private bool? _passThrough;

        public MemoryStream Buffered { get; } = new();
        public bool PassingThrough => _passThrough == true;

        private Stream Target
        {
            get
            {
                _passThrough ??= response.ContentLength is not null || response.Headers.TransferEncoding.Count > 0;
                return _passThrough.Value ? inner : Buffered;
            }
        }

        public override bool CanRead => false;
        public override bool CanSeek => _passThrough != true;
        public override bool CanWrite => true;
        public override long Length => PassingThrough ? throw new NotSupportedException() : Buffered.Length;
        public override long Position
        {
            get => PassingThrough ? throw new NotSupportedException() : Buffered.Position;
            set { if (PassingThrough) throw new NotSupportedException(); Buffered.Position = value; }
        }

        public override void Write(byte[] buffer, int offset, int count) => Target.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => Target.Write(buffer);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Target.WriteAsync(buffer, offset, count, cancellationToken);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            Target.WriteAsync(buffer, cancellationToken);

        // A flush while buffering would start the response before its length is known; it waits for the end instead.
        public override void Flush() { if (PassingThrough) inner.Flush(); }
        public override Task FlushAsync(CancellationToken cancellationToken) => PassingThrough ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

        public override void SetLength(long value)
        {
            if (PassingThrough) throw new NotSupportedException();
            Buffered.SetLength(value);
        }

        public override long Seek(long offset, SeekOrigin origin) => PassingThrough ? throw new NotSupportedException() : Buffered.Seek(offset, origin);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) Buffered.Dispose();
            base.Dispose(disposing);
        }
    }
}
