package io.changepipe.definition;

/** Which columns a before-image carries (DMS's ColumnFilter). */
public enum BeforeImageColumns implements WireName {
    PK_ONLY,NON_LOB,ALL;

    @Override
    public String wireName() {
        return WireName.kebab(this);
    }
}
