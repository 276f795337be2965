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

    private final ContinuationTokens tokens = new ContinuationTokens(new byte[32]);
    private final Ownership ownership = new Ownership(tokens);

    @Test
    void wrapIds_wrapsTheScrollIdForItsOwner_andLeavesTheRestByteForByte() {
        String response = "{\"_scroll_id\":\"FGluY2x1ZGVf\",\"took\":3,\"hits\":{\"hits\":[]}}";
        byte[] wrapped =
                ownership.wrapIds(bytes(response), false, false, io.sketchgate.esapi.QueryEndpoint.SEARCH, "alice");
        assertThat(new String(wrapped, StandardCharsets.UTF_8))
                .isEqualTo("{\"_scroll_id\":\"" + tokens.wrap("alice", "FGluY2x1ZGVf")
                        + "\",\"took\":3,\"hits\":{\"hits\":[]}}");
        assertThat(tokens.unwrap(tokens.wrap("alice", "FGluY2x1ZGVf")))
                .contains(new ContinuationTokens.Unwrapped("alice", "FGluY2x1ZGVf"));
    }

    @Test
    void wrapIds_waitsForMoreBytes_whenTheIdIsCut_unlessNoMoreCome() {
        byte[] cut = bytes("{\"id\":\"FmRldE8z");
        assertThat(ownership.wrapIds(cut, false, false, io.sketchgate.esapi.QueryEndpoint.PIT_OPEN, "alice"))
                .isNull();
        assertThat(ownership.wrapIds(cut, true, false, io.sketchgate.esapi.QueryEndpoint.PIT_OPEN, "alice"))
                .isEqualTo(cut);
    }

    @Test
    void unwrap_refusesAlteredOwnersTagsAndIds() {
        String token = tokens.wrap("alice", "FGluY2x1ZGVf");
        assertThat(tokens.unwrap(token.replace("FGluY2x1ZGVf", "FGluY2x1ZGVg"))).isEmpty();
        assertThat(tokens.unwrap("FGluY2x1ZGVf")).isEmpty();
        assertThat(new ContinuationTokens(new byte[] {1, 2, 3}).unwrap(token)).isEmpty();
        assertThat(tokens.unwrapAll("/_search/scroll/" + token + "?scroll=1m", (owner, id) -> owner.equals("bob")))
                .isEqualTo("/_search/scroll/" + token + "?scroll=1m");
        assertThat(tokens.unwrapAll("/_search/scroll/" + token + "?scroll=1m", (owner, id) -> owner.equals("alice")))
                .isEqualTo("/_search/scroll/FGluY2x1ZGVf?scroll=1m");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
