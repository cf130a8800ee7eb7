package io.changepipe.sink.kinesis;

import software.amazon.awssdk.services.kinesis.KinesisClient;

/** The fault scenarios on the in-memory Kinesis, in the unit tests. */
class KinesisSinkFaultsTest extends KinesisFaultScenarios {

    final FakeKinesis fake = new FakeKinesis("us-east-1");

    @Override
    KinesisClient backend() {
        return fake;
    }

    @Override
    int rows() {
        return 300;
    }
}
