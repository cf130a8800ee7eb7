package io.changepipe.source.mysql;

import io.changepipe.event.TableId;

/** Identifier quoting for the statements the source builds. */
final class Sql {

    private Sql() {
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    static String quote(TableId table) {
        return quote(table.schema()) + "." + quote(table.table());
    }
}
