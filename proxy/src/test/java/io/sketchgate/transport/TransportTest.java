package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringServerSocketChannel;
import org.junit.jupiter.api.Test;

class TransportTest {
    @Test
    void nio_isChosenByName() {
        assertThat(Transport.named("nio").serverChannel()).isEqualTo(NioServerSocketChannel.class);
    }

    @Test
    void auto_prefersIoUring_thenEpoll_thenNio() {
        Class<?> expected = IoUring.isAvailable()
                ? IoUringServerSocketChannel.class
                : io.netty.channel.epoll.Epoll.isAvailable()
                        ? io.netty.channel.epoll.EpollServerSocketChannel.class
                        : NioServerSocketChannel.class;
        assertThat(Transport.named("auto").serverChannel()).isEqualTo(expected);
    }

    @Test
    void ioUring_isUsedWhenItLoads_andOtherwiseFailsStartUpWithTheReason() {
        if (IoUring.isAvailable()) {
            assertThat(Transport.named("io_uring").serverChannel()).isEqualTo(IoUringServerSocketChannel.class);
        } else {
            assertThatThrownBy(() -> Transport.named("io_uring"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("listeners.transport: io_uring is not available here");
        }
    }
}
