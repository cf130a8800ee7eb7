package io.changepipe.sink.sns;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;

/** An SnsClient that accepts every PublishBatch and keeps the requests, in order. */
final class RecordingSns implements SnsClient {

    final List<PublishBatchRequest> requests = new ArrayList<>();

    @Override
    public synchronized PublishBatchResponse publishBatch(PublishBatchRequest request) {
        requests.add(request);
        return PublishBatchResponse.builder().successful(request.publishBatchRequestEntries().stream()
                .map(e -> PublishBatchResultEntry.builder().id(e.id()).messageId("m-" + requests.size() + "-" + e.id()).build())
                .toList()).build();
    }

    synchronized List<PublishBatchRequestEntry> published() {
        return requests.stream().flatMap(r -> r.publishBatchRequestEntries().stream()).toList();
    }

    @Override
    public String serviceName() {
        return "sns";
    }

    @Override
    public void close() {
    }
}
