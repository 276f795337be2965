package io.sketchgate.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.function.BiConsumer;

/**
 * Collects a request body that Sketchgate must read before deciding what to do, up to a limit; then hands
 * the request to the next stage. A body over the limit is refused with 413 as soon as it crosses it.
 */
final class BufferingExchange implements Exchange {
    private final ClientConnection client;
    private final HttpRequest head;
    private final long maxBytes;
    private final BiConsumer<HttpRequest, ByteBuf> next;
    private final CollectedBody body;
    private boolean complete;

    BufferingExchange(ClientConnection client, HttpRequest head, long maxBytes, BiConsumer<HttpRequest, ByteBuf> next) {
        this.client = client;
        this.head = head;
        this.maxBytes = maxBytes;
        this.next = next;
        this.body = new CollectedBody(client.alloc());
    }

    @Override
    public boolean wantsClientContent() {
        return !complete;
    }

    @Override
    public void onClientContent(HttpContent content) {
        ByteBuf chunk = content.content();
        if (body.readableBytes() + chunk.readableBytes() > maxBytes) {
            long received = body.readableBytes() + chunk.readableBytes();
            content.release();
            body.release();
            complete = true;
            // The rest of the body is never read, so the connection cannot carry another request.
            client.failAndClose(BodyDecoder.tooLarge(maxBytes, "limits.max_body"), received);
            return;
        }
        if (chunk.isReadable()) {
            body.add(chunk.retain());
        }
        boolean last = content instanceof LastHttpContent;
        content.release();
        if (last) {
            complete = true;
            next.accept(head, body.take());
        }
    }

    @Override
    public boolean requestComplete() {
        return complete;
    }

    @Override
    public void cancel() {
        if (!complete) {
            complete = true;
            body.release();
        }
    }
}
