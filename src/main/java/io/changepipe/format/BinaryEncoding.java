package io.changepipe.format;

/** How {@code byte[]} column values are written: DMS's hex (with its {@code 0x} prefix unless NoHexPrefix) or base64. */
public enum BinaryEncoding {
    HEX, BASE64
}
