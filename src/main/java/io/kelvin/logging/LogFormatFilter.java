package io.kelvin.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Lets an appender write only when it is the one {@code KELVIN_LOG_FORMAT} selects, so
 * {@code logback.xml} can define the text and the JSON appender side by side and reference both.
 * An unknown format is reported as a logback error and writes text.
 */
public final class LogFormatFilter extends Filter<ILoggingEvent> {
    private LogFormat format = LogFormat.TEXT;
    private String selected;
    private boolean enabled;

    /** The format of the appender this filter guards: {@code text} or {@code json}. */
    public void setFormat(String format) {
        this.format = LogFormat.parse(format);
    }

    /** The format in force, usually {@code ${KELVIN_LOG_FORMAT:-text}}. */
    public void setSelected(String selected) {
        this.selected = selected;
    }

    @Override
    public void start() {
        LogFormat chosen;
        try {
            chosen = LogFormat.parse(selected);
        } catch (IllegalArgumentException e) {
            addError(e.getMessage() + "; writing text logs");
            chosen = LogFormat.TEXT;
        }
        enabled = chosen == format;
        super.start();
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return enabled ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
