package io.changepipe.sink;

/** What became of one record of a write: delivered, worth another try, or never deliverable (dead-letter). */
public sealed interface Outcome {

    Outcome DONE = new Done();

    static Outcome retry(String reason) {
        return new Retry(reason);
    }

    static Outcome failed(String reason) {
        return new Failed(reason);
    }

    record Done() implements Outcome {
    }

    /** Transient: throttled, internal failure, or held back behind an earlier record of its key that must go first. */
    record Retry(String reason) implements Outcome {
    }

    /** Permanent for this record (too large, cannot be encoded): it goes to the sink's dead-letter place. */
    record Failed(String reason) implements Outcome {
    }
}
