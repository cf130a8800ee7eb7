package io.changepipe.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled LIKE or GLOB pattern. LIKE is SQLite's: {@code %} any run, {@code _} one character, ASCII letters match
 * either case (other letters only themselves), an optional escape character. GLOB is case-sensitive with {@code *},
 * {@code ?} and {@code [a-z]}/{@code [^...]} classes. Matching walks code points with one backtrack point, no regex.
 */
final class LikePattern {

    private static final int ANY_RUN = -1;
    private static final int ANY_ONE = -2;
    private static final int CLASS = -3; // CLASS - k is character class k

    /** A GLOB [...] class as ranges: lo1, hi1, lo2, hi2, ... */
    private record CharClass(boolean negated, int[] ranges) {

        boolean matches(int cp) {
            boolean in = false;
            for (int i = 0; i < ranges.length && !in; i += 2) {
                in = cp >= ranges[i] && cp <= ranges[i + 1];
            }
            return in != negated;
        }
    }

    private final int[] tokens;
    private final CharClass[] classes;
    private final boolean foldCase;

    private LikePattern(int[] tokens, CharClass[] classes, boolean foldCase) {
        this.tokens = tokens;
        this.classes = classes;
        this.foldCase = foldCase;
    }

    /** A LIKE pattern; {@code escape} is -1 for none. */
    static LikePattern like(String pattern, int escape) {
        List<Integer> tokens = new ArrayList<>();
        for (int i = 0; i < pattern.length(); ) {
            int cp = pattern.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == escape && i < pattern.length()) {
                int next = pattern.codePointAt(i);
                i += Character.charCount(next);
                tokens.add(fold(next));
            } else {
                tokens.add(cp == '%' ? ANY_RUN : cp == '_' ? ANY_ONE : fold(cp));
            }
        }
        return new LikePattern(tokens.stream().mapToInt(Integer::intValue).toArray(), new CharClass[0], true);
    }

    /** The escape character of {@code LIKE ... ESCAPE e}; it must be a single character, as SQLite insists. */
    static int escape(String e) {
        if (e.codePointCount(0, e.length()) != 1) {
            throw new EvalError("ESCAPE expression must be a single character (was '" + e + "')");
        }
        return e.codePointAt(0);
    }

    static LikePattern glob(String pattern) {
        List<Integer> tokens = new ArrayList<>();
        List<CharClass> classes = new ArrayList<>();
        for (int i = 0; i < pattern.length(); ) {
            int cp = pattern.codePointAt(i);
            i += Character.charCount(cp);
            int close = cp == '[' ? classEnd(pattern, i) : -1;
            if (close > 0) {
                classes.add(charClass(pattern.substring(i, close)));
                tokens.add(CLASS - (classes.size() - 1));
                i = close + 1;
            } else {
                tokens.add(cp == '*' ? ANY_RUN : cp == '?' ? ANY_ONE : cp);
            }
        }
        return new LikePattern(tokens.stream().mapToInt(Integer::intValue).toArray(), classes.toArray(CharClass[]::new), false);
    }

    /** Where the class opened before {@code from} closes; a ']' right after '[' or '[^' is a member. -1 if never. */
    private static int classEnd(String p, int from) {
        int i = from;
        if (i < p.length() && p.charAt(i) == '^') {
            i++;
        }
        if (i < p.length() && p.charAt(i) == ']') {
            i++;
        }
        return p.indexOf(']', i);
    }

    private static CharClass charClass(String body) {
        boolean negated = body.startsWith("^");
        int[] cps = (negated ? body.substring(1) : body).codePoints().toArray();
        List<Integer> ranges = new ArrayList<>();
        for (int i = 0; i < cps.length; i++) {
            boolean range = i + 2 < cps.length && cps[i + 1] == '-';
            ranges.add(cps[i]);
            ranges.add(range ? cps[i + 2] : cps[i]);
            i += range ? 2 : 0;
        }
        return new CharClass(negated, ranges.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int fold(int cp) {
        return cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp;
    }

    boolean matches(String s) {
        int t = 0;
        int i = 0;
        int runToken = -1;
        int runStart = -1;
        while (i < s.length()) {
            if (t < tokens.length) {
                int tok = tokens[t];
                if (tok == ANY_RUN) {
                    runToken = ++t;
                    runStart = i;
                    continue;
                }
                int cp = s.codePointAt(i);
                if (tok == ANY_ONE || (tok >= 0 ? tok == (foldCase ? fold(cp) : cp) : classes[CLASS - tok].matches(cp))) {
                    t++;
                    i += Character.charCount(cp);
                    continue;
                }
            }
            if (runToken < 0) {
                return false;
            }
            // let the last % swallow one more character and try the rest again
            t = runToken;
            runStart += Character.charCount(s.codePointAt(runStart));
            i = runStart;
        }
        while (t < tokens.length && tokens[t] == ANY_RUN) {
            t++;
        }
        return t == tokens.length;
    }
}
