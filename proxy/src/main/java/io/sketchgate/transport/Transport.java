package io.sketchgate.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/**
 * The network I/O: io_uring on Linux when the kernel allows it, else native epoll, else NIO, or what {@code
 * listeners.transport} names; both sides of a proxied exchange share one event loop. io_uring first because it
 * measured better on the passthrough benchmark (1.08x nginx's throughput against epoll's 0.91x, 46 against 61 us of
 * CPU a request; benchmarks/README.md, "Variants").
 */
public record Transport(
        IoHandlerFactory ioHandlerFactory,
        Class<? extends ServerChannel> serverChannel,
        Class<? extends SocketChannel> clientChannel) {

    public static Transport detect() {
        if (IoUring.isAvailable()) {
            return new Transport(
                    IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class, IoUringSocketChannel.class);
        }
        if (Epoll.isAvailable()) {
            return new Transport(EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        return new Transport(NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    /** The transport {@code listeners.transport} names; an explicit one that cannot load fails with the reason. */
    public static Transport named(String name) {
        return switch (name) {
            case "auto" -> detect();
            case "epoll" -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException(
                            "listeners.transport: epoll is not available here", Epoll.unavailabilityCause());
                }
                yield new Transport(
                        EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
            }
            case "io_uring" -> {
                if (!IoUring.isAvailable()) {
                    throw new IllegalStateException(
                            "listeners.transport: io_uring is not available here (it needs Linux 5.14 or later"
                                    + " and may be disabled by the kernel or a seccomp profile)",
                            IoUring.unavailabilityCause());
                }
                yield new Transport(
                        IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class, IoUringSocketChannel.class);
            }
            case "nio" ->
                new Transport(NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
            default -> throw new IllegalArgumentException("unknown transport " + name);
        };
    }

    public EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(
                threads, new io.netty.util.concurrent.DefaultThreadFactory(name, true), ioHandlerFactory);
    }
}
