package io.changepipe.definition;

/** A value that came from a secret reference; it never prints itself. */
public final class Secret {

    private final String value;
    private final String reference;

    public Secret(String value, String reference) {
        this.value = value;
        this.reference = reference;
    }

    /** The secret itself: hand it to the client that needs it, never to a log or an error. */
    public String reveal() {
        return value;
    }

    /** How the pipeline file names it, e.g. {@code ${env:CDC_DB_PASSWORD}}, or "(inline)". */
    public String reference() {
        return reference;
    }

    @Override
    public String toString() {
        return "****";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
