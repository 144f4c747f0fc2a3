package io.kelvin.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kelvin.broker.EmbeddedKafkaBroker.ScramSecurity;
import org.junit.jupiter.api.Test;

/** The secured broker's options, without a broker (the integration tests start one). */
class EmbeddedKafkaBrokerOptionsTest {

    @Test
    void shouldGiveClientsTheScramSettingsOfTheirOwnUser() {
        assertThat(ScramSecurity.clientSecurity("kelvin-optimizer", "s3cret"))
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"kelvin-optimizer\" password=\"s3cret\";");
    }

    @Test
    void shouldRefuseAPasswordThatWouldNeedQuotingWithoutPrintingIt() {
        // A quote would end the JAAS value early; a comma or bracket would split the storage tool's --add-scram.
        for (String password : new String[] {"pa\"ss", "a,b", "x]y", "with space", ""}) {
            assertThatThrownBy(() -> EmbeddedKafkaBroker.Options.defaults().withScramSecurity("admin", password))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("superUserPassword may hold only letters, digits, '.', '_' and '-'");
        }
    }

    @Test
    void shouldNameTheListenerAfterTheProtocol() {
        assertThat(EmbeddedKafkaBroker.Options.defaults().withScramSecurity("admin", "a").security().protocol()).isEqualTo("SASL_PLAINTEXT");
        assertThat(EmbeddedKafkaBroker.Options.defaults().withScramSecurityOverTls("admin", "a").security().protocol()).isEqualTo("SASL_SSL");
        assertThat(EmbeddedKafkaBroker.Options.defaults().withMaxHeap("256m").security()).isNull();
    }
}
