package io.changepipe.sink.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** An S3Client that keeps objects in a map; {@code reject} keys get the given status (failure injection). */
public final class MemoryS3 implements S3Client {

    public final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();
    public volatile Predicate<String> reject = k -> false;
    public volatile int status = 500;
    public volatile String code = "InternalError";

    @Override
    public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
        if (reject.test(request.key())) {
            throw (S3Exception) S3Exception.builder().statusCode(status)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("injected " + code).build())
                    .message("injected " + code).build();
        }
        try (var in = body.contentStreamProvider().newStream()) {
            objects.put(request.bucket() + "/" + request.key(), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PutObjectResponse.builder().build();
    }

    /** The lines of an object, gunzipped when its key ends in .gz. */
    public List<String> lines(String key) {
        return lines(key, objects.get(key));
    }

    public static List<String> lines(String key, byte[] body) {
        try {
            byte[] plain = key.endsWith(".gz") ? new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes() : body;
            String text = new String(plain, java.nio.charset.StandardCharsets.UTF_8);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                throw new AssertionError("object " + key + " does not end in a newline");
            }
            return text.isEmpty() ? List.of() : List.of(text.split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String serviceName() {
        return "s3";
    }

    @Override
    public void close() {
    }
}
