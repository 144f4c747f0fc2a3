package io.kelvin.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * One thread's direct input and output buffers. ONNX Runtime reads a direct buffer in place
 * (no copy into native memory) and writes a pinned output into one, so a call costs two array
 * copies and no allocation once the buffers are large enough. They grow when a call needs more
 * and are kept at that size: a thread's largest batch decides its native memory.
 */
final class NativeBuffers {
    /** A direct buffer holds at most 2 GiB: the most floats one call can pass in or out. */
    static final int MAX_FLOATS = Integer.MAX_VALUE / Float.BYTES;

    private FloatBuffer input = allocate(0);
    private FloatBuffer output = allocate(0);

    /** The input buffer, positioned at 0 with exactly {@code floats} remaining. */
    FloatBuffer input(int floats) {
        if (input.capacity() < floats) {
            input = allocate(grown(input.capacity(), floats));
        }
        input.clear().limit(floats);
        return input;
    }

    /** The output buffer, positioned at 0 with exactly {@code floats} remaining. */
    FloatBuffer output(int floats) {
        if (output.capacity() < floats) {
            output = allocate(grown(output.capacity(), floats));
        }
        output.clear().limit(floats);
        return output;
    }

    /** Half again as much as before, so batches that creep up do not reallocate on every call. */
    private static int grown(int capacity, int needed) {
        if (needed > MAX_FLOATS) {
            throw new IllegalArgumentException(needed + " floats do not fit one direct buffer (at most " + MAX_FLOATS
                    + "); split the batch");
        }
        long next = Math.max(needed, capacity + (long) capacity / 2);
        return (int) Math.min(next, MAX_FLOATS);
    }

    private static FloatBuffer allocate(int floats) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(floats, Float.BYTES)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
