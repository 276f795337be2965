package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OwnershipTest {

    @Test
    void topLevelIds_areReadFromTheFirstBytes_evenWhenTheChunkEndsMidResponse() {
        String head =
                "{\"_scroll_id\":\"FGluY2x1ZGVfY29udGV4dF91dWlk\",\"took\":3,\"timed_out\":false,\"_shards\":{\"tot";
        assertThat(Ownership.topLevelIds(Unpooled.copiedBuffer(head, StandardCharsets.UTF_8))
                        .toString())
                .isEqualTo("{\"_scroll_id\":\"FGluY2x1ZGVfY29udGV4dF91dWlk\"}");
    }

    @Test
    void asyncSubmitId_isReadBeforeTheNestedResponse() {
        String head =
                "{\"id\":\"FmRldE8zREVEUzA2\",\"is_partial\":true,\"is_running\":true,\"response\":{\"_scroll_id\":\"nested\"";
        assertThat(Ownership.topLevelIds(Unpooled.copiedBuffer(head, StandardCharsets.UTF_8))
                        .toString())
                .isEqualTo("{\"id\":\"FmRldE8zREVEUzA2\"}");
    }

    @Test
    void idCutInTheMiddle_isNotRecordedHalfRead() {
        String head = "{\"id\":\"FmRldE8zRE";
        assertThat(Ownership.topLevelIds(Unpooled.copiedBuffer(head, StandardCharsets.UTF_8))
                        .isEmpty())
                .isTrue();
    }
}
