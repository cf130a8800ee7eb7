package io.changepipe.definition;

/** How DMS's S3 target orders the date folders. */
public enum DatePartitionSequence implements WireName {
    YYYYMMDD,YYYYMMDDHH,YYYYMM,MMYYYYDD,DDMMYYYY;

    @Override
    public String wireName() {
        return name();
    }
}
