package io.changepipe.definition;

/** The separator between date folder parts. */
public enum DatePartitionDelimiter implements WireName {
    SLASH,DASH,UNDERSCORE,NONE;

    @Override
    public String wireName() {
        return name();
    }
}
