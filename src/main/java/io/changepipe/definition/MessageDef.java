package io.changepipe.definition;

/** The DMS message options (KinesisSettings) that shape every record a sink writes. */
public record MessageDef(
        MessageFormat format,
        boolean includeTransactionDetails,
        boolean includePartitionValue,
        boolean includeTableAlterOperations,
        boolean includeControlDetails,
        boolean includeNullAndEmpty,
        BeforeImage beforeImage) {

    /** DMS's BeforeImageSettings: the row before an update or delete, under {@code fieldName}. */
    public record BeforeImage(boolean enabled, String fieldName, BeforeImageColumns columnFilter) {
    }
}
