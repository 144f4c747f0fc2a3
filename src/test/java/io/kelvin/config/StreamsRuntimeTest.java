package io.kelvin.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/** Which stream-thread failures stop the client instead of replacing the thread (see the broker tests for the real thing). */
class StreamsRuntimeTest {

    @Test
    void shouldNameAnAuthorizationErrorDeepInTheCausesAndPointAtTheAcls() {
        // As Kafka Streams wraps a producer that may not use its transactional id.
        Throwable e = new StreamsException("Error encountered trying to initialize transactions",
                new KafkaException("Cannot execute transactional method because we are in an error state",
                        new TransactionalIdAuthorizationException("Transactional Id authorization failed.")));

        assertThat(StreamsRuntime.securityRefusal("Optimizer", e))
                .startsWith("Optimizer is not authorized by the Kafka cluster")
                .contains("TransactionalIdAuthorizationException: Transactional Id authorization failed.")
                .contains("Kafka ACLs");
    }

    @Test
    void shouldNameTheTopicARefusalNames() {
        Throwable e = new StreamsException("Error encountered sending record",
                new TopicAuthorizationException(java.util.Set.of("kelvin.setpoints")));

        assertThat(StreamsRuntime.securityRefusal("Trainer", e)).contains("kelvin.setpoints");
    }

    @Test
    void shouldPointAtTheClientSettingsWhenAuthenticationFails() {
        Throwable e = new StreamsException(new SaslAuthenticationException("invalid credentials with SASL mechanism SCRAM-SHA-512"));

        assertThat(StreamsRuntime.securityRefusal("Optimizer", e))
                .startsWith("Optimizer cannot authenticate to the Kafka cluster")
                .contains("sasl.jaas.config");
    }

    @Test
    void shouldLeaveOtherFailuresToThreadReplacement() {
        assertThat(StreamsRuntime.securityRefusal("Optimizer", new StreamsException(new TimeoutException("slow broker")))).isNull();
        assertThat(StreamsRuntime.securityRefusal("Optimizer", new IllegalStateException("a bug"))).isNull();
    }
}
