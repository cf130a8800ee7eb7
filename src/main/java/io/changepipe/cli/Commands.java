package io.changepipe.cli;

import io.changepipe.definition.yaml.PipelineSchema;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import java.io.PrintStream;
import java.util.Arrays;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** Dispatches the command line: {@code run [dir]}, {@code validate <file|dir> [--resolve]}, {@code schema}, {@code tail <stream>}. */
public class Commands implements QuarkusApplication {

    static final String USAGE = """
            usage: changepipe <command>
              run [dir]                     run the pipelines of dir (default: CHANGEPIPE_PIPELINES_DIR or pipelines/)
              validate <file|dir>... [--resolve]
                                            check pipeline files; print every problem; exit 1 if any.
                                            --resolve also requires every ${env:..}/${file:..} reference to resolve
              schema                        print the JSON Schema of pipeline files
              tail <stream> [--from trim-horizon|latest|timestamp:<ISO-8601>] [--shard <id>]
                   [--pretty] [--meta] [--limit N] [--follow]
                                            print a Kinesis stream's records, one JSON per line, every shard;
                                            stop when caught up unless --follow (client: changepipe.kinesis.*)
            """;

    @Override
    public int run(String... args) {
        String command = args.length == 0 ? "run" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        PrintStream out = System.out;
        switch (command) {
            case "run" -> {
                // Main has pointed changepipe.pipelines.dir at [dir]; the registry loaded it at startup
                Quarkus.waitForExit();
                return 0;
            }
            case "validate" -> {
                return new Validate(out, System.err, System::getenv).run(rest);
            }
            case "tail" -> {
                return new Tail(out, System.err, () -> Arc.container().instance(KinesisClient.class).get()).run(rest);
            }
            case "schema" -> {
                out.print(PipelineSchema.json());
                return 0;
            }
            case "help", "--help", "-h" -> {
                out.print(USAGE);
                return 0;
            }
            default -> {
                System.err.print("unknown command '" + command + "'\n" + USAGE);
                return 2;
            }
        }
    }
}
