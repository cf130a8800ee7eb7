package io.changepipe.definition.yaml;

import io.changepipe.definition.BeforeImageColumns;
import io.changepipe.definition.TableMappingDef;
import io.changepipe.definition.TableMappingDef.AttributeMapping;
import io.changepipe.definition.TableMappingDef.BeforeImageDef;
import io.changepipe.definition.TableMappingDef.DataType;
import io.changepipe.definition.TableMappingDef.FilterCondition;
import io.changepipe.definition.TableMappingDef.FilterOperator;
import io.changepipe.definition.TableMappingDef.ObjectLocator;
import io.changepipe.definition.TableMappingDef.ObjectMapping;
import io.changepipe.definition.TableMappingDef.ObjectMappingAction;
import io.changepipe.definition.TableMappingDef.PrimaryKeyDef;
import io.changepipe.definition.TableMappingDef.RuleTarget;
import io.changepipe.definition.TableMappingDef.Selection;
import io.changepipe.definition.TableMappingDef.SelectionAction;
import io.changepipe.definition.TableMappingDef.SourceFilter;
import io.changepipe.definition.TableMappingDef.TableSettings;
import io.changepipe.definition.TableMappingDef.TableType;
import io.changepipe.definition.TableMappingDef.TransformAction;
import io.changepipe.definition.TableMappingDef.Transformation;
import io.changepipe.dms.DmsPattern;
import io.changepipe.expr.SqlExpressions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The AWS DMS table-mapping document, key for key with DMS's kebab-case spelling, so existing mappings paste in. */
final class TableMappingShapes {

    private TableMappingShapes() {
    }

    static final ValueType<String> NAME_PATTERN = Types.checked("a name, DMS wildcards % _ [ab] allowed", t -> {
        try {
            DmsPattern.compile(t);
            return null;
        } catch (IllegalArgumentException e) {
            return "is not a valid DMS name pattern: " + e.getMessage();
        }
    });

    static final ValueType<String> EXPRESSION = Types.checked("an SQL expression", t -> {
        try {
            SqlExpressions.parse(t);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    });

    static final ValueType<Long> RULE_ID = Types.scalar("a rule number like \"1\"", t -> {
        try {
            long n = Long.parseLong(t.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a positive rule number like \"1\"");
        }
    }, Map.of("type", List.of("string", "integer"), "pattern", "^[1-9][0-9]*$"));

    // ---- object-locator
    static final Key<String> SCHEMA_NAME = Key.required("schema-name", NAME_PATTERN, "Schema name; DMS wildcards allowed");
    static final Key<String> TABLE_NAME = Key.optional("table-name", NAME_PATTERN, "Table name; DMS wildcards allowed");
    static final Key<String> COLUMN_NAME = Key.optional("column-name", NAME_PATTERN, "Column name; DMS wildcards allowed");
    static final Key<String> LOCATOR_DATA_TYPE = Key.optional("data-type", Types.text(), "Only columns of this DMS data type");
    static final Key<TableType> TABLE_TYPE = Key.optional("table-type", Types.choice(TableType.class), TableType.TABLE,
            "table, view (full load only) or all");
    static final Shape<ObjectLocator> LOCATOR = new Shape<>("dmsObjectLocator", "Which objects a rule applies to",
            List.of(SCHEMA_NAME, TABLE_NAME, COLUMN_NAME, LOCATOR_DATA_TYPE, TABLE_TYPE),
            v -> new ObjectLocator(v.get(SCHEMA_NAME), v.optional(TABLE_NAME), v.optional(COLUMN_NAME),
                    v.optional(LOCATOR_DATA_TYPE), v.get(TABLE_TYPE)));

    // ---- common rule keys
    static final Key<String> RULE_TYPE_SELECTION = Key.required("rule-type", Types.constant("selection"), "selection");
    static final Key<String> RULE_TYPE_TRANSFORMATION = Key.required("rule-type", Types.constant("transformation"), "transformation");
    static final Key<String> RULE_TYPE_OBJECT_MAPPING = Key.required("rule-type", Types.constant("object-mapping"), "object-mapping");
    static final Key<String> RULE_TYPE_TABLE_SETTINGS = Key.required("rule-type", Types.constant("table-settings"), "table-settings");
    static final Key<Long> RULE_ID_KEY = Key.required("rule-id", RULE_ID, "Unique rule number; the lower wins when two transformations apply");
    static final Key<String> RULE_NAME = Key.required("rule-name", Types.text(), "Unique rule name");
    static final Key<ObjectLocator> OBJECT_LOCATOR = Key.required("object-locator", LOCATOR, "Which objects the rule applies to");

    // ---- selection
    static final Key<FilterOperator> FILTER_OPERATOR = Key.required("filter-operator", Types.choice(FilterOperator.class), "Comparison");
    static final Key<String> VALUE = Key.optional("value", Types.anyText(), "Value to compare with");
    static final Key<String> START_VALUE = Key.optional("start-value", Types.anyText(), "Lower bound (between, notbetween)");
    static final Key<String> END_VALUE = Key.optional("end-value", Types.anyText(), "Upper bound (between, notbetween)");
    static final Shape<FilterCondition> CONDITION = new Shape<>("dmsFilterCondition", "One condition; conditions of a filter are ORed",
            List.of(FILTER_OPERATOR, VALUE, START_VALUE, END_VALUE),
            v -> new FilterCondition(v.get(FILTER_OPERATOR), v.optional(VALUE), v.optional(START_VALUE), v.optional(END_VALUE)))
            .check(TableMappingShapes::checkCondition);
    static final Key<String> FILTER_TYPE = Key.required("filter-type", Types.constant("source"), "source");
    static final Key<String> FILTER_COLUMN = Key.required("column-name", Types.text(), "Column the filter reads");
    static final Key<List<FilterCondition>> FILTER_CONDITIONS = Key.required("filter-conditions", Types.list(CONDITION, 1), "Conditions, ORed");
    static final Shape<SourceFilter> FILTER = new Shape<>("dmsSourceFilter", "A row filter; several filters are ANDed",
            List.of(FILTER_TYPE, FILTER_COLUMN, FILTER_CONDITIONS),
            v -> new SourceFilter(v.get(FILTER_COLUMN), v.get(FILTER_CONDITIONS)))
            .check(v -> {
                List<FilterCondition> cs = v.get(FILTER_CONDITIONS);
                if (cs != null && cs.size() > 1 && cs.stream().anyMatch(c -> c.operator().negative())) {
                    v.problem(FILTER_CONDITIONS, "a filter with a negative operator (noteq, notbetween, notnull) may have only one condition");
                }
            });
    static final Key<SelectionAction> SELECTION_ACTION = Key.required("rule-action", Types.choice(SelectionAction.class), "include, exclude or explicit");
    static final Key<Integer> LOAD_ORDER = Key.optional("load-order", Types.integer(0, Integer.MAX_VALUE), 0, "Higher loads first");
    static final Key<List<SourceFilter>> FILTERS = Key.optional("filters", Types.list(FILTER, 0), List.of(), "Row filters (include rules only)");
    static final Shape<Selection> SELECTION = new Shape<>("dmsSelectionRule", "Which tables the pipeline reads",
            List.of(RULE_TYPE_SELECTION, RULE_ID_KEY, RULE_NAME, SELECTION_ACTION, OBJECT_LOCATOR, LOAD_ORDER, FILTERS),
            v -> new Selection(v.get(RULE_ID_KEY), v.get(RULE_NAME), v.get(SELECTION_ACTION), v.get(OBJECT_LOCATOR),
                    v.get(LOAD_ORDER), v.get(FILTERS)))
            .check(TableMappingShapes::checkSelection);

    // ---- transformation
    static final Key<TransformAction> TRANSFORM_ACTION = Key.required("rule-action", Types.choice(TransformAction.class), "What the rule does");
    static final Key<RuleTarget> RULE_TARGET = Key.required("rule-target", Types.choice(RuleTarget.class), "schema, table or column");
    static final Key<String> NEW_VALUE = Key.optional("value", Types.anyText(), "New name, prefix or suffix");
    static final Key<String> OLD_VALUE = Key.optional("old-value", Types.anyText(), "Prefix or suffix to replace");
    static final Key<String> DT_TYPE = Key.required("type", Types.text(), "DMS data type: string, int4, numeric, datetime...");
    static final Key<Integer> DT_PRECISION = Key.optional("precision", Types.integer(1, 38), "Numeric precision");
    static final Key<Integer> DT_SCALE = Key.optional("scale", Types.integer(0, 38), "Numeric scale");
    static final Key<Integer> DT_LENGTH = Key.optional("length", Types.integer(1, Integer.MAX_VALUE), "String length");
    static final Shape<DataType> DATA_TYPE_SHAPE = new Shape<>("dmsDataType", "A DMS data type",
            List.of(DT_TYPE, DT_PRECISION, DT_SCALE, DT_LENGTH),
            v -> new DataType(v.get(DT_TYPE), v.optional(DT_PRECISION), v.optional(DT_SCALE), v.optional(DT_LENGTH)));
    static final Key<DataType> DATA_TYPE = Key.optional("data-type", DATA_TYPE_SHAPE, "Type of an added or changed column");
    static final Key<String> EXPRESSION_KEY = Key.optional("expression", EXPRESSION, "SQLite-style expression for add-column");
    static final Key<String> PK_NAME = Key.required("name", Types.text(), "Key name");
    static final Key<String> PK_ORIGIN = Key.optional("origin", Types.text("primary-key|unique-index", "primary-key or unique-index"), "primary-key", "primary-key or unique-index");
    static final Key<List<String>> PK_COLUMNS = Key.required("columns", Types.list(Types.text(), 1), "Key columns in order");
    static final Key<PrimaryKeyDef> PK_DEF = Key.optional("primary-key-def", new Shape<>("dmsPrimaryKeyDef", "A primary key",
            List.of(PK_NAME, PK_ORIGIN, PK_COLUMNS), v -> new PrimaryKeyDef(v.get(PK_NAME), v.get(PK_ORIGIN), v.get(PK_COLUMNS))),
            "For define-primary-key");
    static final Key<String> BI_PREFIX = Key.optional("column-prefix", Types.anyText(), "BI_", "Prefix of before-image columns");
    static final Key<String> BI_SUFFIX = Key.optional("column-suffix", Types.anyText(), "", "Suffix of before-image columns");
    static final Key<BeforeImageColumns> BI_FILTER = Key.optional("column-filter", Types.choice(BeforeImageColumns.class), BeforeImageColumns.PK_ONLY, "pk-only, non-lob or all");
    static final Key<BeforeImageDef> BI_DEF = Key.optional("before-image-def", new Shape<>("dmsBeforeImageDef", "Before-image columns",
            List.of(BI_PREFIX, BI_SUFFIX, BI_FILTER), v -> new BeforeImageDef(v.get(BI_PREFIX), v.get(BI_SUFFIX), v.get(BI_FILTER))),
            "For add-before-image-columns");
    static final Shape<Transformation> TRANSFORMATION = new Shape<>("dmsTransformationRule", "Renames, adds, removes or changes objects",
            List.of(RULE_TYPE_TRANSFORMATION, RULE_ID_KEY, RULE_NAME, TRANSFORM_ACTION, RULE_TARGET, OBJECT_LOCATOR,
                    NEW_VALUE, OLD_VALUE, DATA_TYPE, EXPRESSION_KEY, PK_DEF, BI_DEF),
            v -> new Transformation(v.get(RULE_ID_KEY), v.get(RULE_NAME), v.get(TRANSFORM_ACTION), v.get(RULE_TARGET),
                    v.get(OBJECT_LOCATOR), v.optional(NEW_VALUE), v.optional(OLD_VALUE), v.optional(DATA_TYPE),
                    v.optional(EXPRESSION_KEY), v.optional(PK_DEF), v.optional(BI_DEF)))
            .check(TransformationChecks::check);

    // ---- object-mapping
    static final Key<ObjectMappingAction> MAPPING_ACTION = Key.required("rule-action", Types.choice(ObjectMappingAction.class), "map-record-to-record or map-record-to-document");
    static final Key<String> PKEY_TYPE = Key.optional("partition-key-type", Types.text("schema-table|transaction-id|primary-key|constant|attribute-name",
            "one of: schema-table, transaction-id, primary-key, constant, attribute-name"), "Partition key of this table's records");
    static final Key<String> PKEY_NAME = Key.optional("partition-key-name", Types.text(), "Column for attribute-name keys");
    static final Key<String> PKEY_VALUE = Key.required("value", Types.text(), "The constant key");
    static final Key<String> PKEY_OBJECT = Key.optional("partition-key", new Shape<>("dmsPartitionKeyValue", "A constant partition key",
            List.of(PKEY_VALUE), v -> v.get(PKEY_VALUE)), "For constant keys");
    static final Key<List<String>> EXCLUDE_COLUMNS = Key.optional("exclude-columns", Types.list(Types.text(), 0), List.of(), "Columns left out");
    static final Key<String> AM_NAME = Key.required("target-attribute-name", Types.text(), "Attribute name");
    static final Key<String> AM_TYPE = Key.optional("attribute-type", Types.text("scalar|document", "scalar or document"), "scalar", "scalar or document");
    static final Key<String> AM_SUBTYPE = Key.optional("attribute-sub-type", Types.text("string|json", "string or json"), "string", "string or json");
    static final Key<String> AM_VALUE = Key.required("value", Types.anyText(), "Value, with ${column} references");
    static final Key<List<AttributeMapping>> ATTRIBUTE_MAPPINGS = Key.optional("attribute-mappings", Types.list(new Shape<>("dmsAttributeMapping",
            "One attribute of the record", List.of(AM_NAME, AM_TYPE, AM_SUBTYPE, AM_VALUE),
            v -> new AttributeMapping(v.get(AM_NAME), v.get(AM_TYPE), v.get(AM_SUBTYPE), v.get(AM_VALUE))), 0), List.of(), "Attributes");
    static final Shape<MappingParameters> PARAMETERS = new Shape<>("dmsMappingParameters", "How records of these tables are shaped and keyed",
            List.of(PKEY_TYPE, PKEY_NAME, PKEY_OBJECT, EXCLUDE_COLUMNS, ATTRIBUTE_MAPPINGS),
            v -> new MappingParameters(v.optional(PKEY_TYPE), v.optional(PKEY_NAME), v.optional(PKEY_OBJECT),
                    v.get(EXCLUDE_COLUMNS), v.get(ATTRIBUTE_MAPPINGS)))
            .check(v -> {
                String type = v.get(PKEY_TYPE);
                if ("attribute-name".equals(type) && !v.has(PKEY_NAME)) {
                    v.problem(PKEY_TYPE, "attribute-name needs partition-key-name");
                }
                if ("constant".equals(type) && !v.has(PKEY_OBJECT)) {
                    v.problem(PKEY_TYPE, "constant needs partition-key: {value: ...}");
                }
            });
    static final Key<MappingParameters> MAPPING_PARAMETERS = Key.optional("mapping-parameters", PARAMETERS, "Keying and shaping");
    static final Key<String> TARGET_TABLE = Key.optional("target-table-name", Types.text(), "Table name to write");
    static final Shape<ObjectMapping> OBJECT_MAPPING = new Shape<>("dmsObjectMappingRule", "Record shape and partition key per table (DMS's Kinesis object mapping)",
            List.of(RULE_TYPE_OBJECT_MAPPING, RULE_ID_KEY, RULE_NAME, MAPPING_ACTION, OBJECT_LOCATOR, MAPPING_PARAMETERS, TARGET_TABLE),
            v -> {
                MappingParameters p = v.optional(MAPPING_PARAMETERS).orElse(MappingParameters.NONE);
                return new ObjectMapping(v.get(RULE_ID_KEY), v.get(RULE_NAME), v.get(MAPPING_ACTION), v.get(OBJECT_LOCATOR),
                        p.type(), p.name(), p.value(), p.excludeColumns(), p.attributes(), v.optional(TARGET_TABLE));
            });

    record MappingParameters(Optional<String> type, Optional<String> name, Optional<String> value,
            List<String> excludeColumns, List<AttributeMapping> attributes) {
        static final MappingParameters NONE = new MappingParameters(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of());
    }

    // ---- table-settings
    static final Key<String> PL_TYPE = Key.required("type", Types.text("partitions-auto|subpartitions-auto|partitions-list|ranges|none",
            "one of: partitions-auto, subpartitions-auto, partitions-list, ranges, none"), "Parallel load kind");
    static final Key<List<String>> PL_COLUMNS = Key.optional("columns", Types.list(Types.text(), 1), "Range columns");
    static final Key<List<List<String>>> PL_BOUNDARIES = Key.optional("boundaries", Types.list(Types.list(Types.anyText(), 1), 1), "Range boundaries");
    static final Key<List<String>> PL_PARTITIONS = Key.optional("partitions", Types.list(Types.text(), 1), "Partition names");
    static final Key<String> PARALLEL_LOAD = Key.optional("parallel-load", new Shape<>("dmsParallelLoad", "Parallel full load of one table",
            List.of(PL_TYPE, PL_COLUMNS, PL_BOUNDARIES, PL_PARTITIONS), v -> v.get(PL_TYPE)), "Parallel load settings");
    static final Key<String> LOB_MODE = Key.optional("mode", Types.text("limited|unlimited|none", "limited, unlimited or none"), "LOB mode");
    static final Key<Integer> LOB_BULK = Key.optional("bulk-max-size", Types.integer(0, Integer.MAX_VALUE), "LOB size limit in KB");
    static final Key<String> LOB_SETTINGS = Key.optional("lob-settings", new Shape<>("dmsLobSettings", "LOB handling",
            List.of(LOB_MODE, LOB_BULK), v -> v.get(LOB_MODE)), "LOB settings");
    static final Shape<TableSettings> TABLE_SETTINGS = new Shape<>("dmsTableSettingsRule", "Per-table load settings",
            List.of(RULE_TYPE_TABLE_SETTINGS, RULE_ID_KEY, RULE_NAME, OBJECT_LOCATOR, PARALLEL_LOAD, LOB_SETTINGS),
            v -> new TableSettings(v.get(RULE_ID_KEY), v.get(RULE_NAME), v.get(OBJECT_LOCATOR), v.optional(PARALLEL_LOAD)));

    static final Key<List<TableMappingDef.Rule>> RULES = Key.required("rules", Types.list(Types.variants("rule-type", List.of(
            new Types.Variant<>("selection", SELECTION),
            new Types.Variant<>("transformation", TRANSFORMATION),
            new Types.Variant<>("object-mapping", OBJECT_MAPPING),
            new Types.Variant<>("table-settings", TABLE_SETTINGS))), 1), "DMS rules");
    static final Shape<TableMappingDef> MAPPINGS = new Shape<>("dmsTableMappings", "AWS DMS table mappings, verbatim",
            List.of(RULES), v -> new TableMappingDef(v.get(RULES)))
            .check(TableMappingShapes::checkRules);

    private static void checkCondition(Values v) {
        FilterOperator op = v.get(FILTER_OPERATOR);
        if (op == null) {
            return;
        }
        boolean hasValue = v.has(VALUE);
        boolean hasRange = v.has(START_VALUE) || v.has(END_VALUE);
        switch (op.operands()) {
            case 0 -> {
                if (hasValue || hasRange) {
                    v.problem(FILTER_OPERATOR, op.wireName() + " takes no value");
                }
            }
            case 1 -> {
                if (!hasValue || hasRange) {
                    v.problem(FILTER_OPERATOR, op.wireName() + " needs 'value' (and no start-value/end-value)");
                }
            }
            default -> {
                if (!v.has(START_VALUE) || !v.has(END_VALUE) || hasValue) {
                    v.problem(FILTER_OPERATOR, op.wireName() + " needs 'start-value' and 'end-value'");
                } else if (op == FilterOperator.BETWEEN && greater(v.get(START_VALUE), v.get(END_VALUE))) {
                    v.problem(START_VALUE, "is greater than end-value " + v.get(END_VALUE) + ", so the condition never matches");
                }
            }
        }
    }

    /** Compares as numbers when both are numbers, else as text (DMS compares dates as YYYY-MM-DD text). */
    private static boolean greater(String a, String b) {
        try {
            return new java.math.BigDecimal(a.trim()).compareTo(new java.math.BigDecimal(b.trim())) > 0;
        } catch (NumberFormatException e) {
            return a.compareTo(b) > 0;
        }
    }

    private static void checkSelection(Values v) {
        SelectionAction action = v.get(SELECTION_ACTION);
        ObjectLocator loc = v.get(OBJECT_LOCATOR);
        if (action == null || loc == null) {
            return;
        }
        if (loc.tableName().isEmpty()) {
            v.problem(OBJECT_LOCATOR, "missing required key 'table-name' (use % for every table)");
        }
        if (loc.columnName().isPresent()) {
            v.problem(OBJECT_LOCATOR, "column-name is for transformation rules, not selection");
        }
        boolean wild = !DmsPattern.compile(loc.schemaName()).isLiteral()
                || loc.tableName().map(t -> !DmsPattern.compile(t).isLiteral()).orElse(false);
        if (action == SelectionAction.EXPLICIT && wild) {
            v.problem(OBJECT_LOCATOR, "explicit selects exactly one table: no wildcards in schema-name or table-name");
        }
        if (!v.get(FILTERS).isEmpty()) {
            if (action == SelectionAction.EXCLUDE) {
                v.problem(FILTERS, "filters apply to include rules only");
            } else if (wild) {
                v.problem(FILTERS, "filters need an exact schema-name and table-name, without wildcards");
            }
        }
    }

    private static void checkRules(Values v) {
        List<TableMappingDef.Rule> rules = v.get(RULES);
        if (rules == null) {
            return;
        }
        Map<Long, Integer> ids = new TreeMap<>();
        Map<String, Integer> names = new TreeMap<>();
        String rulesPath = v.path(RULES);
        for (int i = 0; i < rules.size(); i++) {
            TableMappingDef.Rule r = rules.get(i);
            Integer seen = ids.putIfAbsent(r.ruleId(), i);
            if (seen != null) {
                v.reader().problem(rulesPath + "[" + i + "].rule-id", r.ruleId() + " is already used by rules[" + seen + "]");
            }
            Integer named = names.putIfAbsent(r.ruleName(), i);
            if (named != null) {
                v.reader().problem(rulesPath + "[" + i + "].rule-name", "'" + r.ruleName() + "' is already used by rules[" + named + "]");
            }
        }
        List<Selection> selections = rules.stream().filter(Selection.class::isInstance).map(Selection.class::cast).toList();
        if (selections.stream().noneMatch(s -> s.action() != SelectionAction.EXCLUDE)) {
            v.problem(RULES, "no selection rule includes a table; add one with rule-action include");
            return;
        }
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i) instanceof Selection s && s.action() != SelectionAction.EXCLUDE) {
                for (int j = 0; j < rules.size(); j++) {
                    if (rules.get(j) instanceof Selection x && x.action() == SelectionAction.EXCLUDE && excludes(x, s)) {
                        v.reader().problem(rulesPath + "[" + i + "]", "can never match: rules[" + j
                                + "] excludes every table it includes (exclude wins)");
                        break;
                    }
                }
            }
        }
    }

    private static boolean excludes(Selection exclude, Selection include) {
        ObjectLocator e = exclude.locator();
        ObjectLocator i = include.locator();
        boolean typeCovered = e.tableType() == TableType.ALL || e.tableType() == i.tableType();
        return typeCovered
                && DmsPattern.compile(i.schemaName()).coveredBy(DmsPattern.compile(e.schemaName()))
                && DmsPattern.compile(i.tableName().orElse("%")).coveredBy(DmsPattern.compile(e.tableName().orElse("%")));
    }
}
