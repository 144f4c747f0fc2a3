package io.kelvin.json;

import io.kelvin.topics.Topic;
import io.kelvin.topics.TopicCatalogue;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds the catalogue topic a user names on the command line: by its configured name
 * ({@code kelvin.readings}, or whatever {@code kelvin.topic.readings} says) or by its short name
 * ({@code readings}), which stays the same whatever the topics are called.
 */
public final class TopicNames {

    private record ShortName(String name, Function<TopicCatalogue, Topic<?, ?>> topic) {}

    // The suffixes of the kelvin.topic.* settings, so a short name reads like the setting it follows.
    private static final List<ShortName> SHORT_NAMES = List.of(
            new ShortName("readings", TopicCatalogue::readings),
            new ShortName("buildings", TopicCatalogue::buildings),
            new ShortName("setpoints", TopicCatalogue::setpoints),
            new ShortName("feedback", TopicCatalogue::feedback),
            new ShortName("models", TopicCatalogue::models),
            new ShortName("training-reports", TopicCatalogue::trainingReports),
            new ShortName("dead-letters", TopicCatalogue::deadLetters));

    private TopicNames() {}

    /**
     * The topic called {@code name}; a configured name wins over a short name.
     *
     * @throws IllegalArgumentException naming the topics there are, when none is called {@code name}
     */
    public static Topic<?, ?> resolve(TopicCatalogue catalogue, String name) {
        Topic<?, ?> topic = catalogue.byName(name);
        if (topic != null) {
            return topic;
        }
        return SHORT_NAMES.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .<Topic<?, ?>>map(s -> s.topic().apply(catalogue))
                .orElseThrow(() -> new IllegalArgumentException("unknown topic '" + name + "'; Kelvin's topics are "
                        + describe(catalogue)));
    }

    /** The short name of {@code topic}, a topic of {@code catalogue}. */
    public static String shortName(TopicCatalogue catalogue, Topic<?, ?> topic) {
        return SHORT_NAMES.stream()
                .filter(s -> s.topic().apply(catalogue) == topic)
                .map(ShortName::name)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(topic.name() + " is not a topic of this catalogue"));
    }

    /** Every topic as {@code kelvin.readings (readings)}, for error messages. */
    static String describe(TopicCatalogue catalogue) {
        return SHORT_NAMES.stream()
                .map(s -> s.topic().apply(catalogue).name() + " (" + s.name() + ")")
                .collect(Collectors.joining(", "));
    }
}
