package io.changepipe.event;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The ordered column names of a table shape, shared by every row of that shape (one lookup map, not one per row). */
public final class Columns {

    private final String[] names;
    private final Map<String, Integer> index;

    private Columns(String[] names) {
        this.names = names;
        this.index = new HashMap<>(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            if (index.putIfAbsent(names[i], i) != null) {
                throw new IllegalArgumentException("column " + names[i] + " appears twice");
            }
        }
    }

    public static Columns of(String... names) {
        return new Columns(names.clone());
    }

    public static Columns of(List<String> names) {
        return new Columns(names.toArray(String[]::new));
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    /** The position of {@code name}, or -1. */
    public int indexOf(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    public List<String> names() {
        return List.of(names);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Columns c && Arrays.equals(c.names, names);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names);
    }

    @Override
    public String toString() {
        return Arrays.toString(names);
    }
}
