package io.changepipe.dms;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** A DMS data type ({@code data-type.type} of {@code add-column} and {@code change-data-type}), by its DMS name. */
public enum DmsDataType {
    STRING, WSTRING, CLOB, NCLOB, INT1, INT2, INT4, INT8, UINT1, UINT2, UINT4, UINT8, NUMERIC, REAL4, REAL8, BOOLEAN,
    DATE, DATETIME, TIME, BYTES, BLOB,
    // DMS collection types: a row has no value of these
    SET, LIST, MAP, TUPLE;

    /** The name as DMS and pipeline files spell it: {@code int4}, {@code datetime}. */
    public String dmsName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a row value can have this type (set, list, map and tuple cannot). */
    public boolean hasRowValue() {
        return compareTo(SET) < 0;
    }

    /** The type a name spells, spaces around and case ignored; empty for a name DMS does not have. */
    public static Optional<DmsDataType> of(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.dmsName().equals(n)).findFirst();
    }

    /** The types a row value can have, comma-separated in DMS's order, for error messages. */
    public static String rowTypeNames() {
        return Arrays.stream(values()).filter(DmsDataType::hasRowValue).map(DmsDataType::dmsName).collect(Collectors.joining(", "));
    }
}
