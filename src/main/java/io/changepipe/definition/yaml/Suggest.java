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
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
