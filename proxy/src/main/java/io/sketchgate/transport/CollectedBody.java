package io.sketchgate.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The chunks of a request body held until the body is complete. A Kibana query (a few hundred bytes) usually
 * arrives as one chunk: that chunk itself is the body, and a composite buffer (its object, its component array, and
 * a composite to copy from and to write upstream) is made only when a second chunk comes.
 *
 * <p>Owns one reference to every chunk it was given: {@link #take} hands that over, {@link #release} drops it.
 */
final class CollectedBody {
    private final ByteBufAllocator alloc;
    private ByteBuf first;
    private CompositeByteBuf all;

    CollectedBody(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /** Takes over one reference to a readable {@code chunk}. */
    void add(ByteBuf chunk) {
        if (first == null && all == null) {
            first = chunk;
            return;
        }
        if (all == null) {
            all = alloc.compositeBuffer(Integer.MAX_VALUE);
            all.addComponent(true, first);
            first = null;
        }
        all.addComponent(true, chunk);
    }

    long readableBytes() {
        return all != null ? all.readableBytes() : first != null ? first.readableBytes() : 0;
    }

    /** The whole body, with the reference this held; empty when no chunk came. Nothing is held afterwards. */
    ByteBuf take() {
        ByteBuf body = all != null ? all : first != null ? first : Unpooled.EMPTY_BUFFER;
        first = null;
        all = null;
        return body;
    }

    void release() {
        take().release();
    }
}
