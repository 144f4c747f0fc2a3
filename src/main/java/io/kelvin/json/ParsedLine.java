package io.kelvin.json;

import org.apache.kafka.clients.producer.ProducerRecord;

/** What one input line of {@code kelvin produce} is: nothing to send, a record, or a mistake. */
public sealed interface ParsedLine<V> {

    /** A blank line or a {@code #} comment. */
    record Skipped<V>() implements ParsedLine<V> {}

    /** A record ready to send. */
    record Valid<V>(ProducerRecord<String, V> record) implements ParsedLine<V> {}

    /** A line that cannot be sent, and why. */
    record Invalid<V>(long lineNumber, String reason) implements ParsedLine<V> {

        /** {@code line N: reason}, as the user sees it. */
        public String message() {
            return "line " + lineNumber + ": " + reason;
        }
    }
}
