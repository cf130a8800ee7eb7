package io.changepipe.rules;

import io.changepipe.definition.TableMappingDef;

/** A table-mapping rule cannot be compiled or applied; the message names the rule, the object and what to fix. */
public final class RuleException extends RuntimeException {

    public RuleException(String message) {
        super(message);
    }

    public RuleException(String message, Throwable cause) {
        super(message, cause);
    }

    /** How messages name a rule: {@code rule 12 (full-name)}. */
    static String label(TableMappingDef.Rule rule) {
        return "rule " + rule.ruleId() + " (" + rule.ruleName() + ")";
    }
}
