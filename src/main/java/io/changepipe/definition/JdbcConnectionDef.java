package io.changepipe.definition;

/** How to reach a database. The password is a {@link Secret}, normally a {@code ${env:…}} or {@code ${file:…}} reference. */
public record JdbcConnectionDef(String host, int port, String user, Secret password, String database) {
}
