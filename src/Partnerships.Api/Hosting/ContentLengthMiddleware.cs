namespace Partnerships.Api.Hosting;

/// <summary>
/// GET and HEAD answers state their Content-Length, and a HEAD states the one its GET would: a body written without a
/// declared length (the OpenAPI document, pages) is buffered up to <see cref="MaxBufferedBytes"/> and measured before it
/// is sent; a larger one is streamed (chunked). Envelopes declare their length themselves and pass straight through. A
/// HEAD's body is only counted, never kept or sent, and its length stated whatever its size (RFC 9110 §8.6 allows it
/// when it is exactly what the GET would send).
/// </summary>
public sealed class ContentLengthMiddleware(RequestDelegate next)
{
    /// <summary>Above this a body is streamed rather than held in memory per request (the reference page's script is several MB).</summary>
    public const int MaxBufferedBytes = 1024 * 1024;

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
        await using var buffer = new LengthMeasuringStream(response, original, countOnly: head);
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
        if (response.ContentLength is null && response.Headers.TransferEncoding.Count == 0 && response.StatusCode is not (204 or 304)
            && (head || buffer.Measured <= MaxBufferedBytes))
        {
            response.ContentLength = buffer.Measured;
        }
        if (!head && buffer.Measured > 0)
        {
            buffer.Buffered.Position = 0;
            await buffer.Buffered.CopyToAsync(original, context.RequestAborted);
        }
    }

    /// <summary>
    /// Decides at the first write: a response that already declares its length (or its transfer coding) passes through;
    /// otherwise the body is kept in memory (a HEAD's only counted) until it outgrows <see cref="MaxBufferedBytes"/>, when
    /// what was kept is sent and the rest streams. Seekable while buffering, so HttpResponse.Clear (error handlers) empties it.
    /// </summary>
    private sealed class LengthMeasuringStream(HttpResponse response, Stream inner, bool countOnly) : Stream
    {
        private bool? _passThrough;
        private long _counted;

        private MemoryStream? _buffered;

        /// <summary>Made on first use: an envelope (which declares its length) passes through without one.</summary>
        public MemoryStream Buffered => _buffered ??= new MemoryStream();
        public bool PassingThrough => _passThrough == true;
        public long Measured => countOnly ? _counted : Buffered.Length;

        private Stream Target
        {
            get
            {
                _passThrough ??= response.ContentLength is not null || response.Headers.TransferEncoding.Count > 0;
                return _passThrough.Value ? inner : countOnly ? Null : Buffered;
            }
        }

        /// <summary>Before a write of <paramref name="count"/> bytes: counts a HEAD's, and switches a GET that would outgrow the buffer to streaming.</summary>
        private void Admit(int count)
        {
            if (Target == inner) return;
            if (countOnly) { _counted += count; return; }
            if (Buffered.Length + count <= MaxBufferedBytes) return;
            _passThrough = true;
            Buffered.Position = 0;
            Buffered.CopyTo(inner);
            Buffered.SetLength(0);
        }

        private async ValueTask AdmitAsync(int count, CancellationToken cancellationToken)
        {
            if (Target == inner) return;
            if (countOnly) { _counted += count; return; }
            if (Buffered.Length + count <= MaxBufferedBytes) return;
            _passThrough = true;
            Buffered.Position = 0;
            await Buffered.CopyToAsync(inner, cancellationToken);
            Buffered.SetLength(0);
        }

        public override bool CanRead => false;
        public override bool CanSeek => _passThrough != true;
        public override bool CanWrite => true;
        public override long Length => PassingThrough ? throw new NotSupportedException() : Measured;
        public override long Position
        {
            get => PassingThrough ? throw new NotSupportedException() : countOnly ? _counted : Buffered.Position;
            set
            {
                if (PassingThrough) throw new NotSupportedException();
                if (countOnly) _counted = value;
                else Buffered.Position = value;
            }
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Admit(count);
            Target.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Admit(buffer.Length);
            Target.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await AdmitAsync(buffer.Length, cancellationToken);
            await Target.WriteAsync(buffer, cancellationToken);
        }

        // A flush while buffering would start the response before its length is known; it waits for the end instead.
        public override void Flush() { if (PassingThrough) inner.Flush(); }
        public override Task FlushAsync(CancellationToken cancellationToken) => PassingThrough ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

        public override void SetLength(long value)
        {
            if (PassingThrough) throw new NotSupportedException();
            if (countOnly) _counted = value;
            else Buffered.SetLength(value);
        }

        public override long Seek(long offset, SeekOrigin origin) => PassingThrough ? throw new NotSupportedException() : Buffered.Seek(offset, origin);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _buffered?.Dispose();
            base.Dispose(disposing);
        }
    }
}
