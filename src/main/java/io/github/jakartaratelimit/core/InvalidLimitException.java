package io.github.jakartaratelimit.core;

/** A limit expression that does not follow the grammar; the message names the text, the position and what was expected. */
public final class InvalidLimitException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String expression;
    private final int position;

    InvalidLimitException(String expression, int position, String problem) {
        super(problem + " at position " + position + " of \"" + expression + "\"; expected limits like "
                + "\"10 per minute\", \"10/minute\", \"5/2 seconds\" or \"10/second;1000/hour\"");
        this.expression = expression;
        this.position = position;
    }

    /** The text that failed to parse. */
    public String expression() {
        return expression;
    }

    /** Zero-based index of the offending character in {@link #expression()}. */
    public int position() {
        return position;
    }
}
