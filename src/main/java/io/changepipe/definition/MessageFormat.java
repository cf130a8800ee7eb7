package io.changepipe.definition;

/** How records are written: DMS's pretty {@code json} or one line per record. */
public enum MessageFormat implements WireName {
    JSON,JSON_UNFORMATTED;

    @Override
    public String wireName() {
        return WireName.kebab(this);
    }
}
