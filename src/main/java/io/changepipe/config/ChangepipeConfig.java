package io.changepipe.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Service settings (application.properties or CHANGEPIPE_* environment variables); pipelines themselves live in files. */
@ConfigMapping(prefix = "changepipe")
public interface ChangepipeConfig {

    Pipelines pipelines();

    State state();

    Kinesis kinesis();

    interface Pipelines {
        /** Directory of pipeline files ({@code CHANGEPIPE_PIPELINES_DIR}). */
        @WithDefault("pipelines")
        Path dir();

        /** Load the directory when the service starts; off for one-shot commands such as validate. */
        @WithDefault("true")
        boolean autoload();

        /** Start the loaded pipelines; off in tests that only check loading and the HTTP surface. */
        @WithDefault("true")
        boolean run();
    }

    interface State {
        /** Where stored source positions live ({@code CHANGEPIPE_STATE_DIR}). */
        @WithDefault("state")
        Path dir();

        /**
         * How many bytes each buffering sink (s3-batch, s3-csv) may hold in its spool on disk before the pipeline waits
         * for uploads ({@code CHANGEPIPE_STATE_SPOOL_MAX_BYTES}); 4 GiB by default.
         */
        @WithDefault("4294967296")
        long spoolMaxBytes();
    }

    /** The Kinesis client (no Quarkiverse extension resolves here, so it is configured like the others by hand). */
    interface Kinesis {
        Optional<String> endpointOverride();

        Optional<String> region();

        Optional<String> accessKeyId();

        Optional<String> secretAccessKey();

        /** Off only for emulators that cannot speak CBOR (kinesalite). */
        @WithDefault("true")
        boolean cborEnabled();
    }
}
