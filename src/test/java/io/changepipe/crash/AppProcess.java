package io.changepipe.crash;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One run of the real service, {@code java -jar target/quarkus-app/quarkus-run.jar run <dir>}, as a child process. */
final class AppProcess {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    final Path log;
    final Path state;
    final int port;
    private final Process process;
    private final long startedNanos = System.nanoTime();

    private AppProcess(Process process, Path log, Path state, int port) {
        this.process = process;
        this.log = log;
        this.state = state;
        this.port = port;
    }

    /** Starts the service on the pipelines of {@code pipelines}, positions in {@code state}, output to {@code log}. */
    static AppProcess start(Path pipelines, Path state, Path log) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: build it first (./mvnw package -DskipTests)");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-jar", JAR.toString(), "run", pipelines.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_PROFILE", "local");
        env.put("CHANGEPIPE_STATE_DIR", state.toString());
        env.put("CDC_DB_PASSWORD", "cdcpass");
        return new AppProcess(pb.start(), log, state, port);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    double secondsSinceStart() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** SIGKILL: no shutdown hook, no flush, no last position store. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pid " + pid() + " survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM and wait for the clean shutdown (buffers flushed, position stored); SIGKILL after a minute. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
        return process.exitValue();
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    boolean logged(String text) {
        return logText().contains(text);
    }

    /** GET a path of the service's HTTP API; null while it does not answer. */
    String get(String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
