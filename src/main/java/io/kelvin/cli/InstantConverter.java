package io.kelvin.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/** An ISO-8601 instant such as {@code 2026-11-02T00:00:00Z}. */
final class InstantConverter implements CommandLine.ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not an instant; write for example 2026-11-02T00:00:00Z");
        }
    }
}
