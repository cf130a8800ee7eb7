package io.changepipe.definition;

/** Object compression for S3 sinks. */
public enum Compression implements WireName {
    NONE,GZIP;

    @Override
    public String wireName() {
        return WireName.kebab(this);
    }
}
