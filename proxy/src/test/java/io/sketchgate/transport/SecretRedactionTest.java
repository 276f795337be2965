package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretRedactionTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/logs/_search?size=0|/logs/_search?size=0",
                "/logs/_search|/logs/_search",
                "/_security/oauth2/token?access_token=abc.def&x=1|/_security/oauth2/token?access_token=[redacted]&x=1",
                "/api/x?api_key=Zm9vOmJhcg==|/api/x?api_key=[redacted]",
                "/api/x?API-KEY=Zm9v|/api/x?API-KEY=[redacted]",
                "/login?next=%2Fapp&password=hunter2|/login?next=%2Fapp&password=[redacted]",
                "/api/security/oidc/callback?code=c0de&state=s|/api/security/oidc/callback?code=[redacted]&state=s",
                "/x?sort=timestamp&tokenizer=standard|/x?sort=timestamp&tokenizer=standard",
                "/x?X-Sketchgate-Signature=ab12|/x?X-Sketchgate-Signature=[redacted]",
            })
    void secretLookingParameters_areRedacted_othersKept(String uri, String logged) {
        assertThat(SecretRedaction.uri(uri)).isEqualTo(logged);
    }
}
