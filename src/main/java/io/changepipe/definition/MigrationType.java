package io.changepipe.definition;

/** What a source does: load what is there, stream changes, or both (DMS's migration types). */
public enum MigrationType implements WireName {
    FULL_LOAD,CDC,FULL_LOAD_AND_CDC;

    @Override
    public String wireName() {
        return WireName.kebab(this);
    }
}
