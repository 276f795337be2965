package io.sketchgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ErrorTranslatorTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(ErrorTranslator.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void capture() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
    }

    @Test
    void anUnexpectedException_isA500_loggedWithItsStackTrace() {
        NullPointerException bug = new NullPointerException("limits was null");

        ProxyException answer = ErrorTranslator.translate(new CompletionException(new ExecutionException(bug)));

        assertThat(answer.status().code()).isEqualTo(500);
        assertThat(answer.type()).isEqualTo("sketchgate_internal_exception");
        assertThat(answer.reason())
                .isEqualTo("Sketchgate could not answer: NullPointerException: limits was null."
                        + " The proxy log has the details.");
        assertThat(logged.list).singleElement().satisfies(event -> {
            assertThat(event.getFormattedMessage()).isEqualTo("Sketchgate failed while handling a request");
            assertThat(event.getThrowableProxy()).isNotNull();
            assertThat(event.getThrowableProxy().getStackTraceElementProxyArray())
                    .isNotEmpty();
        });
    }

    @Test
    void aProxyException_isAnsweredAsItIs_andNotLogged() {
        ProxyException refusal = ErrorType.TIME_RANGE.exception("too long");

        assertThat(ErrorTranslator.translate(new CompletionException(refusal))).isSameAs(refusal);
        assertThat(logged.list).isEmpty();
    }

    @Test
    void anErrorShapedException_isAnsweredAsTheErrorItNames() {
        class Unreadable extends RuntimeException implements ErrorShaped {
            @Override
            public ProxyException toProxyException() {
                return ErrorType.MSEARCH_PARSE.exception("line 3");
            }
        }

        ProxyException answer = ErrorTranslator.translate(new Unreadable());

        assertThat(answer.status().code()).isEqualTo(400);
        assertThat(answer.type()).isEqualTo("sketchgate_msearch_parse_exception");
        assertThat(logged.list).isEmpty();
    }
}
