package io.changepipe.definition.yaml;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;

/** "did you mean" for misspelt keys and values. */
final class Suggest {

    private Suggest() {
    }

    /** "did you mean 'buffer'?" when a choice is close, else "{what}: a, b, c". */
    static String allowed(String given, Collection<String> choices, String what) {
        String best = choices.stream()
                .min(Comparator.comparingInt(c -> distance(given.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT))))
                .orElse(null);
        if (best != null && distance(given.toLowerCase(Locale.ROOT), best.toLowerCase(Locale.ROOT)) <= Math.max(1, best.length() / 4)) {
            return "did you mean '" + best + "'?";
        }
        return what + ": " + String.join(", ", choices);
    }

    static int distance(String a, String b) {
        return io.changepipe.expr.EditDistance.between(a, b);
    }
}
