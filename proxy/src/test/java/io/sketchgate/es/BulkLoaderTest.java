package io.sketchgate.es;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@RealElasticsearch
class BulkLoaderTest {

    /** 20 documents of about 1 KB each, with ids so nothing is indexed twice. */
    private static List<BulkLoader.BulkDocument> documents(String index) {
        List<BulkLoader.BulkDocument> documents = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            documents.add(BulkLoader.BulkDocument.of(index, "doc-" + i, Map.of("n", i, "pad", "x".repeat(1000))));
        }
        return documents;
    }

    @Test
    void batchesEndAtTheByteLimit_beforeTheDocumentLimit(TestElasticsearch es) throws Exception {
        String index = IndexNames.unique("bulk-bytes");
        List<Long> afterEachBatch = new ArrayList<>();

        long loaded = new BulkLoader(es.client(), 1_000, 4_000, afterEachBatch::add)
                .load(documents(index).iterator());

        // each line pair is a bit over 1 KB, so the fourth document crosses 4,000 bytes and ends the batch
        assertThat(loaded).isEqualTo(20);
        assertThat(afterEachBatch).containsExactly(4L, 8L, 12L, 16L, 20L);
        es.requests().refresh(index);
        assertThat(es.requests().count(index)).isEqualTo(20);
    }

    @Test
    void aDocumentLargerThanTheByteLimit_goesAlone(TestElasticsearch es) throws Exception {
        String index = IndexNames.unique("bulk-bytes-large");
        List<Long> afterEachBatch = new ArrayList<>();

        new BulkLoader(es.client(), 1_000, 100, afterEachBatch::add)
                .load(documents(index).subList(0, 3).iterator());

        assertThat(afterEachBatch).containsExactly(1L, 2L, 3L);
        es.requests().refresh(index);
        assertThat(es.requests().count(index)).isEqualTo(3);
    }

    @Test
    void withoutAByteLimit_theDocumentLimitEndsBatches(TestElasticsearch es) throws Exception {
        String index = IndexNames.unique("bulk-count");
        List<Long> afterEachBatch = new ArrayList<>();

        new BulkLoader(es.client(), 8, afterEachBatch::add)
                .load(documents(index).iterator());

        assertThat(afterEachBatch).containsExactly(8L, 16L, 20L);
    }

    @Test
    void concurrentStreams_indexEveryDocumentOnce_inSlicesOfTheirOwnBatches(TestElasticsearch es) throws Exception {
        String index = IndexNames.unique("bulk-streams");
        List<Long> afterEachBatch = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

        long loaded = new BulkLoader(es.client(), 4, loadedSoFar -> {
                    afterEachBatch.add(loadedSoFar);
                    threads.add(Thread.currentThread().getName());
                })
                .loadConcurrently(documents(index), 2);

        assertThat(loaded).isEqualTo(20);
        // two slices of 10, each sent in batches of 4, 4 and 2 with its own running total
        assertThat(afterEachBatch).containsExactlyInAnyOrder(4L, 8L, 10L, 4L, 8L, 10L);
        assertThat(threads).containsOnly(Thread.currentThread().getName(), "bulk-stream-1");
        es.requests().refresh(index);
        assertThat(es.requests().count(index)).isEqualTo(20);
    }
}
