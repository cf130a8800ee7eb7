package io.changepipe.sink.sns;

/** Per-rule counters of an SNS sink; the factory backs them with Micrometer (tags pipeline, sink, rule). */
public interface SnsMetrics {

    /** Why an alert that matched was not published. */
    enum Suppression { DEDUPE, RATE_LIMIT }

    SnsMetrics NONE = new SnsMetrics() {
        @Override
        public void evaluated(String rule) {
        }

        @Override
        public void matched(String rule) {
        }

        @Override
        public void published(String rule) {
        }

        @Override
        public void suppressed(String rule, Suppression why) {
        }

        @Override
        public void failed(String rule) {
        }
    };

    /** The rule's condition was evaluated on a change of a table it sees. */
    void evaluated(String rule);

    void matched(String rule);

    /** SNS accepted the alert. */
    void published(String rule);

    void suppressed(String rule, Suppression why);

    /** The rule failed on a change (expression error, alert too large, rejected entry): the change went to the dead letters. */
    void failed(String rule);
}
