package io.kelvin.serde;

import io.kelvin.registry.SchemaRegistryClient;
import io.kelvin.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro in the Confluent wire format: magic byte 0, the writer schema's 4-byte big-endian global
 * id, then Avro binary. Subjects follow the topic-name strategy ({@code <topic>-value} or
 * {@code <topic>-key}).
 *
 * <p>A specific serde reads with the generated class's schema as reader schema, so records
 * written by an older or newer compatible schema resolve by Avro's rules. A generic serde
 * ({@link #generic}) reads each record with its own writer schema.
 *
 * <p>Each schema is registered, and each writer schema fetched, once per serde; after that a
 * record costs no registry call. Thread-safe.
 *
 * <p>Failures throw {@link SerializationException} naming the topic and the reason: on reading,
 * a truncated payload, a bad magic byte, an unknown schema id (or a registry that cannot be
 * asked), undecodable or trailing bytes; on writing, a registry that refuses the schema. Kafka
 * Streams routes deserialization failures to the dead-letter topic. Null bytes and null
 * records pass through as null (tombstones).
 */
public final class AvroSerde<T extends GenericRecord> implements Serde<T> {

    static final byte MAGIC_BYTE = 0;
    private static final int HEADER_BYTES = 5;

    private final SchemaRegistryClient registry;
    private final Schema readerSchema; // null: generic, read with the writer schema
    private final boolean isKey;
    // Keyed by the schema itself, not its hash: two versions of one record (same full name)
    // with colliding hashes must never share an id.
    private final Map<String, Map<Schema, Integer>> idsByTopic = new ConcurrentHashMap<>();
    private final Map<Integer, DatumReader<T>> readersById = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<T>> writersBySchema = new ConcurrentHashMap<>();
    /**
     * Per thread: the output buffer, encoder and decoder, reused from record to record (Kafka
     * Streams serializes a window aggregate on every reading; fresh ones per call were a top
     * allocation). A thread runs one serde call at a time, so one set per thread suffices.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private AvroSerde(SchemaRegistryClient registry, Schema readerSchema, boolean isKey) {
        this.registry = registry;
        this.readerSchema = readerSchema;
        this.isKey = isKey;
    }

    /** A value serde for a generated record class. */
    public static <T extends SpecificRecord & GenericRecord> AvroSerde<T> specific(
            SchemaRegistryClient registry, Class<T> type) {
        return new AvroSerde<>(registry, SpecificData.get().getSchema(type), false);
    }

    /** A value serde that decodes any record with its writer schema (for tools such as tail). */
    public static AvroSerde<GenericRecord> generic(SchemaRegistryClient registry) {
        return new AvroSerde<>(registry, null, false);
    }

    /** The global schema id in a wire-format payload, or -1 if the payload is not one. */
    public static int schemaIdOf(byte[] payload) {
        if (payload == null || payload.length < HEADER_BYTES || payload[0] != MAGIC_BYTE) {
            return -1;
        }
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }

    @Override
    public Serializer<T> serializer() {
        return this::serialize;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::deserialize;
    }

    byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        Schema schema = record.getSchema();
        Scratch scratch = SCRATCH.get();
        try {
            int id = schemaIdFor(topic, schema);
            ScratchOutput out = scratch.output();
            out.write(MAGIC_BYTE);
            out.writeInt(id);
            // Buffered: the encoder hands the output its bytes in chunks, not field by field.
            scratch.encoder = EncoderFactory.get().binaryEncoder(out, scratch.encoder);
            writersBySchema.computeIfAbsent(schema, this::writerFor).write(record, scratch.encoder);
            scratch.encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            scratch.encoder = null; // it may still hold part of this record; never let it reach the next one
            throw new SerializationException("Cannot serialize " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
    }

    T deserialize(String topic, byte[] payload) {
        if (payload == null) {
            return null;
        }
        if (payload.length < HEADER_BYTES) {
            throw new SerializationException("Cannot deserialize from topic " + topic + ": payload of " + payload.length
                    + " bytes is too short for the Confluent wire format (needs at least 5)");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new SerializationException("Cannot deserialize from topic " + topic + ": unknown magic byte "
                    + payload[0] + " (expected 0: Confluent wire format)");
        }
        int id = ByteBuffer.wrap(payload, 1, 4).getInt();
        DatumReader<T> reader = readerFor(topic, id);
        try {
            Scratch scratch = SCRATCH.get();
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(payload, HEADER_BYTES, payload.length - HEADER_BYTES, scratch.decoder);
            scratch.decoder = decoder;
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                int trailing = decoder.inputStream().available();
                throw new IOException(trailing + " trailing bytes after the record (" + (payload.length - HEADER_BYTES)
                        + "-byte body)");
            }
            return record;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot decode schema id " + id + " payload from topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private int schemaIdFor(String topic, Schema schema) {
        Map<Schema, Integer> ids = idsByTopic.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
        Integer id = ids.get(schema);
        if (id == null) {
            // Outside computeIfAbsent: the registry may be a remote call, which must not hold a map lock.
            id = registry.register(topic + (isKey ? "-key" : "-value"), schema);
            ids.put(schema, id);
        }
        return id;
    }

    private DatumReader<T> readerFor(String topic, int id) {
        DatumReader<T> reader = readersById.get(id);
        if (reader != null) {
            return reader;
        }
        Schema writerSchema;
        try {
            writerSchema = registry.getById(id);
        } catch (SchemaRegistryException e) {
            String what = e.httpStatus() == 404 ? "unknown schema id " : "cannot fetch schema id ";
            throw new SerializationException("Cannot deserialize from topic " + topic + ": " + what + id + ": " + e.getMessage(), e);
        }
        reader = readerSchema == null
                ? new GenericDatumReader<>(writerSchema)
                : new SpecificDatumReader<>(writerSchema, readerSchema);
        DatumReader<T> raced = readersById.putIfAbsent(id, reader);
        return raced == null ? reader : raced;
    }

    private DatumWriter<T> writerFor(Schema schema) {
        return readerSchema == null
                ? new GenericDatumWriter<T>(schema)
                : new SpecificDatumWriter<T>(schema);
    }

    private static final class Scratch {
        /** A buffer grown past this (a large model release) is not kept for the next record. */
        private static final int KEEP_BYTES = 64 * 1024;
        private ScratchOutput output = new ScratchOutput();
        BinaryEncoder encoder;
        BinaryDecoder decoder;

        /** The buffer, emptied. */
        ScratchOutput output() {
            if (output.capacity() > KEEP_BYTES) {
                output = new ScratchOutput();
                encoder = null;
            }
            output.reset();
            return output;
        }
    }

    /**
     * A reusable, unsynchronized output buffer that writes the schema id's four bytes without
     * allocating.
     */
    private static final class ScratchOutput extends OutputStream {
        private byte[] buf = new byte[512];
        private int count;

        void reset() {
            count = 0;
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            ensure(length);
            System.arraycopy(bytes, offset, buf, count, length);
            count += length;
        }

        void writeInt(int v) {
            ensure(4);
            buf[count++] = (byte) (v >>> 24);
            buf[count++] = (byte) (v >>> 16);
            buf[count++] = (byte) (v >>> 8);
            buf[count++] = (byte) v;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, count);
        }

        int capacity() {
            return buf.length;
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }
    }
}
