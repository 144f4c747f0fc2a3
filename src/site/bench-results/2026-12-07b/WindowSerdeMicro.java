import io.kelvin.optimizer.WindowAggregator;
import io.kelvin.registry.MockSchemaRegistry;
import io.kelvin.schema.BuildingWindow;
import io.kelvin.schema.Metric;
import io.kelvin.schema.SensorReading;
import io.kelvin.serde.AvroSerde;
import io.kelvin.serde.BuildingWindowSerde;
import io.kelvin.serde.KelvinSerdes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * What Kafka Streams does per reading to the window store, in one thread without Kafka: read the
 * window's bytes, aggregate the reading, write the window back. A window of 5 metrics a minute for
 * 10 minutes, built 4,000 times per round; rounds 7-12 printed. A scratch measurement, not part of
 * the build:
 *
 *   mvn -o -q package -DskipTests
 *   CP=target/classes:$(ls target/lib/*.jar | tr '\n' ':')
 *   javac -d /tmp/wsm -cp "$CP" src/site/bench-results/2026-12-07b/WindowSerdeMicro.java
 *   for e in avro compact avro compact; do java -cp "$CP:/tmp/wsm" WindowSerdeMicro $e | tail -1; done
 */
public class WindowSerdeMicro {
    public static void main(String[] args) {
        AvroSerde<BuildingWindow> avro = new KelvinSerdes(MockSchemaRegistry.forScope("micro")).window();
        Serde<BuildingWindow> serde = new BuildingWindowSerde(avro, BuildingWindowSerde.Encoding.of(args[0]));
        WindowAggregator aggregator = new WindowAggregator(720);
        List<SensorReading> readings = new ArrayList<>();
        Metric[] metrics = {Metric.ZONE_TEMPERATURE_C, Metric.OUTDOOR_TEMPERATURE_C, Metric.CO2_PPM, Metric.OCCUPANCY_COUNT, Metric.HVAC_POWER_KW};
        long t0 = Instant.parse("2026-12-07T09:00:00Z").toEpochMilli();
        for (int minute = 0; minute < 10; minute++) {
            for (Metric m : metrics) {
                readings.add(new SensorReading("building-00042", "gw", m, 20 + minute * 0.1 + m.ordinal(),
                        Instant.ofEpochMilli(t0 + minute * 60_000L + m.ordinal() * 7), null));
            }
        }
        String topic = "kelvin-optimizer-kelvin-building-windows-changelog";
        long sink = 0;
        for (int round = 1; round <= 12; round++) {
            long start = System.nanoTime();
            int n = 0;
            int bytes = 0;
            for (int rep = 0; rep < 4_000; rep++) {
                byte[] stored = null;
                for (SensorReading r : readings) {
                    BuildingWindow w = stored == null ? WindowAggregator.empty() : serde.deserializer().deserialize(topic, stored);
                    stored = serde.serializer().serialize(topic, aggregator.apply("building-00042", r, w));
                    n++;
                }
                bytes = stored.length;
                sink += bytes;
            }
            if (round > 6) {
                System.out.printf("%s: %.0f ns per reading (read, aggregate, write); full window %d bytes%n",
                        args[0], (System.nanoTime() - start) / (double) n, bytes);
            }
        }
        if (sink == 0) {
            throw new AssertionError();
        }
    }
}
