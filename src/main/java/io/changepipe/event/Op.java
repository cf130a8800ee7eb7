package io.changepipe.event;

/** What happened to a row, named as DMS names it in {@code metadata.operation}; DDL travels as a control record. */
public enum Op {
    LOAD("load"), INSERT("insert"), UPDATE("update"), DELETE("delete"), DDL("ddl");

    private final String wireName;

    Op(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** DMS's I/U/D letter (S3 CSV targets, operation_indicator); a full-load row counts as an insert. */
    public String letter() {
        return switch (this) {
            case LOAD, INSERT -> "I";
            case UPDATE -> "U";
            case DELETE -> "D";
            case DDL -> "";
        };
    }
}
