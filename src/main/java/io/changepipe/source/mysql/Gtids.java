package io.changepipe.source.mysql;

import com.github.shyiko.mysql.binlog.GtidSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * The GTID set executed so far, advanced as transactions commit. MariaDB keeps the last GTID per replication domain
 * ({@code 0-1-100,1-2-7}); MySQL a set of ranges per server UUID ({@code uuid:1-100}). Empty while unknown (a MySQL
 * stream started at a file offset learns the set at the next binlog file's PREVIOUS_GTIDS event).
 */
final class Gtids {

    private final boolean mariadb;
    private final Map<Long, String> domains = new TreeMap<>();
    private GtidSet mysql;
    private String text;

    Gtids(boolean mariadb, String initial) {
        this.mariadb = mariadb;
        reset(initial);
    }

    /** The set executed so far, empty when unknown. */
    String current() {
        if (text == null) {
            text = mariadb ? String.join(",", domains.values()) : mysql == null ? "" : mysql.toString().replace("\n", "");
        }
        return text;
    }

    boolean known() {
        return mariadb ? !domains.isEmpty() : mysql != null;
    }

    /** A transaction with {@code gtid} committed. */
    void committed(String gtid) {
        if (gtid == null) {
            return;
        }
        if (mariadb) {
            int dash = gtid.indexOf('-');
            domains.put(Long.parseLong(gtid.substring(0, dash)), gtid);
        } else if (mysql != null) {
            mysql.add(gtid);
        }
        text = null;
    }

    /** Takes {@code set} as the set executed so far (the start, or a binlog file's list of previous GTIDs). */
    void reset(String set) {
        text = null;
        domains.clear();
        mysql = null;
        if (set == null || set.isBlank()) {
            return;
        }
        if (mariadb) {
            for (String g : set.split(",")) {
                String t = g.trim();
                if (!t.isEmpty()) {
                    domains.put(Long.parseLong(t.substring(0, t.indexOf('-'))), t);
                }
            }
        } else {
            mysql = new GtidSet(set.replace("\n", ""));
        }
    }
}
