package io.sketchgate.transport;

import io.netty.handler.codec.http.HttpContent;

/** One request/response on a client connection, in whatever stage it is (buffering, forwarding, answering). */
interface Exchange {
    /** Whether the next body chunk from the client can be taken now; false applies backpressure to the client. */
    boolean wantsClientContent();

    /** Takes ownership of a body chunk of the request. */
    void onClientContent(HttpContent content);

    /** True once the whole request, body included, has been received from the client. */
    boolean requestComplete();

    /** The client went away: stop and free everything, cancelling upstream work. */
    void cancel();

    /** The client connection can take more response data again. */
    default void onClientWritable() {}
}
