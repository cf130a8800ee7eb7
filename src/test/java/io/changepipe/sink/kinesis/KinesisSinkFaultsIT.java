package io.changepipe.sink.kinesis;

import org.junit.jupiter.api.AfterAll;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** The fault scenarios around the real SDK client against kinesis-mock (a missing emulator fails them). */
class KinesisSinkFaultsIT extends KinesisFaultScenarios {

    static final KinesisClient CLIENT = LocalKinesis.client();

    @AfterAll
    static void close() {
        CLIENT.close();
    }

    @Override
    KinesisClient backend() {
        return CLIENT;
    }

    @Override
    int rows() {
        return 100;   // kinesis-mock slows down as a stream fills
    }
}
