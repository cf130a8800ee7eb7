package io.changepipe.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point: {@code run} starts the service; other commands run once, without the HTTP port or loading pipelines. */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        if (args.length > 1 && args[0].equals("run")) {
            System.setProperty("changepipe.pipelines.dir", args[1]);
        } else if (args.length > 0 && !args[0].equals("run")) {
            System.setProperty("quarkus.http.host-enabled", "false");
            System.setProperty("changepipe.pipelines.autoload", "false");
            System.setProperty("quarkus.log.level", "WARN");
            System.setProperty("quarkus.banner.enabled", "false");
            // stdout is the command's output (tail pipes JSON lines); warnings go to stderr
            System.setProperty("quarkus.log.console.stderr", "true");
        }
        Quarkus.run(Commands.class, args);
    }
}
