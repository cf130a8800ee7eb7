package io.changepipe.sink.kinesis;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** The real SDK client against kinesis-mock as bin/services runs it (port from CHANGEPIPE_KINESIS_PORT, as the script reads it). */
final class LocalKinesis {

    private LocalKinesis() {
    }

    static KinesisClient client() {
        String port = System.getenv().getOrDefault("CHANGEPIPE_KINESIS_PORT", "14568");
        return KinesisClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
