package io.sketchgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DecisionTextTest {
    @Test
    void lazyWords_areBuiltOnFirstRead_once() {
        AtomicInteger built = new AtomicInteger();
        DecisionText text = DecisionText.lazy(() -> "allowed, span " + built.incrementAndGet() + " days");

        assertThat(built).hasValue(0); // deciding alone puts nothing in words

        assertThat(text.text()).isEqualTo("allowed, span 1 days");
        assertThat(text.text()).isEqualTo("allowed, span 1 days");
        assertThat(text).hasToString("allowed, span 1 days");
        assertThat(built).hasValue(1);
    }

    @Test
    void followingWords_areBuiltWhenTheWholeIsRead() {
        AtomicInteger built = new AtomicInteger();
        DecisionText text = DecisionText.of("allowed").then(() -> ", " + built.incrementAndGet() + "ms left");

        assertThat(built).hasValue(0);
        assertThat(text.text()).isEqualTo("allowed, 1ms left");
    }

    @Test
    void anAllowWithLazyWords_readsThemAsItsDecision() {
        AtomicInteger built = new AtomicInteger();
        Verdict.Allow allow = Verdict.allow("alice", "-");
        Verdict.Allow lazy = new Verdict.Allow(
                "alice",
                DecisionText.lazy(() -> "allowed " + built.incrementAndGet()),
                allow.body(),
                allow.responseHeaders(),
                allow.executionLimit(),
                allow.responseRewrite(),
                allow.firstBodyChunk(),
                allow.onFinished(),
                allow.uri(),
                allow.responsePrefix());

        Verdict.Allow copied = lazy.withResponseHeaders(java.util.Map.of("X", "y"));

        assertThat(built).hasValue(0); // copies keep the words unbuilt
        assertThat(((Verdict) copied).decision()).isEqualTo("allowed 1");
        assertThat(lazy.decision()).isEqualTo("allowed 1");
    }
}
