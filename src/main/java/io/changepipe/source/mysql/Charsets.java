package io.changepipe.source.mysql;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** MySQL character set names as Java charsets (as Connector/J maps them, e.g. latin1 is windows-1252). */
final class Charsets {

    private static final Map<String, String> JAVA = Map.ofEntries(
            Map.entry("utf8mb4", "UTF-8"), Map.entry("utf8mb3", "UTF-8"), Map.entry("utf8", "UTF-8"),
            Map.entry("latin1", "windows-1252"), Map.entry("ascii", "US-ASCII"), Map.entry("ucs2", "UTF-16BE"),
            Map.entry("utf16", "UTF-16BE"), Map.entry("utf16le", "UTF-16LE"), Map.entry("utf32", "UTF-32BE"),
            Map.entry("cp1250", "windows-1250"), Map.entry("cp1251", "windows-1251"), Map.entry("cp1256", "windows-1256"),
            Map.entry("cp1257", "windows-1257"), Map.entry("latin2", "ISO-8859-2"), Map.entry("greek", "ISO-8859-7"),
            Map.entry("hebrew", "ISO-8859-8"), Map.entry("latin5", "ISO-8859-9"), Map.entry("latin7", "ISO-8859-13"),
            Map.entry("koi8r", "KOI8-R"), Map.entry("koi8u", "KOI8-U"), Map.entry("sjis", "Shift_JIS"),
            Map.entry("cp932", "windows-31j"), Map.entry("ujis", "EUC-JP"), Map.entry("eucjpms", "x-eucJP-Open"),
            Map.entry("euckr", "EUC-KR"), Map.entry("gb2312", "GB2312"), Map.entry("gbk", "GBK"),
            Map.entry("gb18030", "GB18030"), Map.entry("big5", "Big5"), Map.entry("tis620", "TIS-620"),
            Map.entry("cp850", "IBM850"), Map.entry("cp852", "IBM852"), Map.entry("cp866", "IBM866"),
            Map.entry("macroman", "x-MacRoman"), Map.entry("macce", "x-MacCentralEurope"));

    private Charsets() {
    }

    /** The Java charset of a MySQL one; null for {@code binary} (bytes stay bytes) and for no charset at all. */
    static Charset forMySql(String name, String column) {
        if (name == null || name.equalsIgnoreCase("binary")) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("utf8")) {
            return StandardCharsets.UTF_8;
        }
        String java = JAVA.getOrDefault(lower, name);
        try {
            return Charset.forName(java);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("column " + column + " uses character set " + name
                    + ", which Java cannot decode; convert the column to utf8mb4");
        }
    }
}
