package io.changepipe.aws;

import io.changepipe.config.ChangepipeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/** The Kinesis client: SDK default chains, with endpoint, region and static credentials overridable for local use. */
@ApplicationScoped
public class KinesisClientProducer {

    @Produces
    @ApplicationScoped
    KinesisClient kinesisClient(ChangepipeConfig config) {
        ChangepipeConfig.Kinesis k = config.kinesis();
        if (!k.cborEnabled()) {
            // the SDK reads this when the client is built; there is no builder option for it
            System.setProperty("aws.cborEnabled", "false");
        }
        KinesisClientBuilder b = KinesisClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        k.region().map(Region::of).ifPresent(b::region);
        k.endpointOverride().map(URI::create).ifPresent(b::endpointOverride);
        b.credentialsProvider(credentials(k));
        return b.build();
    }

    void close(@Disposes KinesisClient client) {
        client.close();
    }

    private static AwsCredentialsProvider credentials(ChangepipeConfig.Kinesis k) {
        if (k.accessKeyId().isPresent() && k.secretAccessKey().isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(k.accessKeyId().get(), k.secretAccessKey().get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
