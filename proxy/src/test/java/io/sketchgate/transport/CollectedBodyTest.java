package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CollectedBodyTest {
    private final CollectedBody body = new CollectedBody(ByteBufAllocator.DEFAULT);

    private static ByteBuf chunk(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    @Test
    void oneChunk_isTheBodyItself_withItsReference() {
        ByteBuf only = chunk("{\"size\":0}");
        body.add(only);

        ByteBuf taken = body.take();

        assertThat(taken).isSameAs(only);
        assertThat(taken.refCnt()).isEqualTo(1);
        taken.release();
    }

    @Test
    void moreChunks_areOneBodyInTheirOrder() {
        ByteBuf first = chunk("{\"size\":");
        ByteBuf second = chunk("0}");
        body.add(first);
        body.add(second);

        assertThat(body.readableBytes()).isEqualTo(10);
        ByteBuf taken = body.take();

        assertThat(taken.toString(StandardCharsets.UTF_8)).isEqualTo("{\"size\":0}");
        taken.release();
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
    }

    @Test
    void noChunk_isAnEmptyBody() {
        assertThat(body.readableBytes()).isZero();
        assertThat(body.take().isReadable()).isFalse();
    }

    @Test
    void release_dropsEveryChunkHeld() {
        ByteBuf first = chunk("{\"size\":");
        ByteBuf second = chunk("0}");
        body.add(first);
        body.add(second);

        body.release();

        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
    }
}
