package io.kelvin.json;

/**
 * JSON that does not fit an Avro schema. The message starts with the path of the offending
 * value ({@code occupancy[0].daysOfWeek[1]: expected int, got "Mon"}) so a person can find it
 * in the line they wrote; the path is empty when the whole document is wrong.
 *
 * <p>An {@link IllegalArgumentException}: the input is at fault, and the CLI reports such
 * failures with exit code 2.
 */
public final class JsonAvroException extends IllegalArgumentException {

    private final String path;
    private final String reason;

    public JsonAvroException(String path, String reason) {
        super(path.isEmpty() ? reason : path + ": " + reason);
        this.path = path;
        this.reason = reason;
    }

    /** Where the value is: {@code a.b[2]["key with spaces"]}; empty for the document itself. */
    public String path() {
        return path;
    }

    /** What is wrong with it, without the path. */
    public String reason() {
        return reason;
    }
}
