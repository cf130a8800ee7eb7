package io.changepipe.rules;

import io.changepipe.event.Row;

/** A compiled row filter of a selected table: whether a row image belongs to the pipeline. */
@FunctionalInterface
public interface RowFilter {

    RowFilter ALL = row -> true;

    boolean accept(Row row);
}
