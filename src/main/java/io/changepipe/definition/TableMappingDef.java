package io.changepipe.definition;

import java.util.List;
import java.util.Optional;

/** The AWS DMS table-mapping document ({@code {"rules": [...]}}), typed. Keys keep DMS's spelling in files. */
public record TableMappingDef(List<Rule> rules) {

    public TableMappingDef {
        rules = List.copyOf(rules);
    }

    public <R extends Rule> List<R> rules(Class<R> kind) {
        return rules.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** A DMS rule; {@code ruleId} orders them (the lower wins when two transformations apply). */
    public sealed interface Rule permits Selection, Transformation, ObjectMapping, TableSettings {
        long ruleId();

        String ruleName();
    }

    public enum SelectionAction implements WireName {
        INCLUDE, EXCLUDE, EXPLICIT;

        @Override
        public String wireName() {
            return WireName.kebab(this);
        }
    }

    public enum TableType implements WireName {
        TABLE, VIEW, ALL;

        @Override
        public String wireName() {
            return WireName.kebab(this);
        }
    }

    /** Which schema and table (and column, data type) a rule is about; DMS wildcards allowed where DMS allows them. */
    public record ObjectLocator(String schemaName, Optional<String> tableName, Optional<String> columnName,
            Optional<String> dataType, TableType tableType) {
    }

    public record Selection(long ruleId, String ruleName, SelectionAction action, ObjectLocator locator, int loadOrder,
            List<SourceFilter> filters) implements Rule {
        public Selection {
            filters = List.copyOf(filters);
        }
    }

    /** A source filter: its conditions are ORed; several filters of a rule are ANDed. */
    public record SourceFilter(String columnName, List<FilterCondition> conditions) {
        public SourceFilter {
            conditions = List.copyOf(conditions);
        }
    }

    public enum FilterOperator implements WireName {
        EQ, NOTEQ, GTE, LTE, STE, BETWEEN, NOTBETWEEN, NULL, NOTNULL;

        @Override
        public String wireName() {
            return WireName.kebab(this);
        }

        public boolean negative() {
            return this == NOTEQ || this == NOTBETWEEN || this == NOTNULL;
        }

        public int operands() {
            return switch (this) {
                case NULL, NOTNULL -> 0;
                case BETWEEN, NOTBETWEEN -> 2;
                default -> 1;
            };
        }
    }

    public record FilterCondition(FilterOperator operator, Optional<String> value, Optional<String> startValue,
            Optional<String> endValue) {
    }

    public enum TransformAction implements WireName {
        RENAME, REMOVE_COLUMN, INCLUDE_COLUMN, CONVERT_LOWERCASE, CONVERT_UPPERCASE, ADD_PREFIX, REMOVE_PREFIX,
        REPLACE_PREFIX, ADD_SUFFIX, REMOVE_SUFFIX, REPLACE_SUFFIX, ADD_COLUMN, CHANGE_DATA_TYPE, DEFINE_PRIMARY_KEY,
        ADD_BEFORE_IMAGE_COLUMNS, DATA_MASKING_DIGITS_MASK, DATA_MASKING_DIGITS_RANDOMIZE, DATA_MASKING_HASH_MASK;

        @Override
        public String wireName() {
            return WireName.kebab(this);
        }
    }

    public enum RuleTarget implements WireName {
        SCHEMA, TABLE, COLUMN;

        @Override
        public String wireName() {
            return WireName.kebab(this);
        }
    }

    /** A DMS target data type for {@code add-column} and {@code change-data-type}. */
    public record DataType(String type, Optional<Integer> precision, Optional<Integer> scale, Optional<Integer> length) {
    }

    public record PrimaryKeyDef(String name, String origin, List<String> columns) {
        public PrimaryKeyDef {
            columns = List.copyOf(columns);
        }
    }

    public record BeforeImageDef(String columnPrefix, String columnSuffix, BeforeImageColumns columnFilter) {
    }

    public record Transformation(long ruleId, String ruleName, TransformAction action, RuleTarget target,
            ObjectLocator locator, Optional<String> value, Optional<String> oldValue, Optional<DataType> dataType,
            Optional<String> expression, Optional<PrimaryKeyDef> primaryKeyDef,
            Optional<BeforeImageDef> beforeImageDef) implements Rule {
    }

    public enum ObjectMappingAction implements WireName {
        MAP_RECORD_TO_RECORD, MAP_RECORD_TO_DOCUMENT;

        @Override
        public String wireName() {
            return WireName.kebab(this);
        }
    }

    public record AttributeMapping(String targetAttributeName, String attributeType, String attributeSubType,
            String value) {
    }

    public record ObjectMapping(long ruleId, String ruleName, ObjectMappingAction action, ObjectLocator locator,
            Optional<String> partitionKeyType, Optional<String> partitionKeyName, Optional<String> partitionKeyValue,
            List<String> excludeColumns, List<AttributeMapping> attributeMappings,
            Optional<String> targetTableName) implements Rule {
        public ObjectMapping {
            excludeColumns = List.copyOf(excludeColumns);
            attributeMappings = List.copyOf(attributeMappings);
        }
    }

    /** DMS table-settings (parallel-load, lob-settings): accepted so mappings paste in unchanged. */
    public record TableSettings(long ruleId, String ruleName, ObjectLocator locator, Optional<String> parallelLoadType)
            implements Rule {
    }
}
