package io.sketchgate.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Last handler of an upstream connection. A pooled connection serves one exchange at a time; between
 * exchanges it is idle, and anything it receives then (or an idle timeout) closes it.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
    private UpstreamListener listener;

    /** Callbacks of the exchange currently using this connection; always called on its event loop. */
    interface UpstreamListener {
        void onUpstreamMessage(HttpObject message);

        void onUpstreamClosed();

        void onUpstreamError(Throwable cause);

        void onUpstreamWritable();

        /** The messages of one socket read have all been delivered: flush what they wrote to the client. */
        void onUpstreamReadComplete();
    }

    void attach(UpstreamListener exchange) {
        this.listener = exchange;
    }

    void detach() {
        this.listener = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamListener current = listener;
        if (current != null && msg instanceof HttpObject object) {
            current.onUpstreamMessage(object);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamListener current = listener;
        if (current != null) {
            current.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        UpstreamListener current = listener;
        listener = null;
        if (current != null) {
            current.onUpstreamClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        UpstreamListener current = listener;
        listener = null;
        if (current != null) {
            current.onUpstreamError(cause);
        }
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && listener != null) {
            listener.onUpstreamWritable();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && listener == null) {
            ctx.close();
        }
    }
}
