package io.changepipe.definition;

/** An enum constant as a pipeline file spells it (kebab-case, DMS spelling where DMS has one). */
public interface WireName {

    String wireName();

    /** Derives {@code full-load-and-cdc} from {@code FULL_LOAD_AND_CDC}. */
    static String kebab(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
