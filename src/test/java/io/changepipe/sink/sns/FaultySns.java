package io.changepipe.sink.sns;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;

/**
 * Wraps a real (or recording) SnsClient and fails the PublishBatch entries {@code fail} picks, as SNS does under
 * throttling or an internal error: they are answered as failed entries and never reach the delegate.
 */
final class FaultySns implements SnsClient {

    private final SnsClient delegate;
    private final Predicate<PublishBatchRequestEntry> fail;
    int failedEntries;

    FaultySns(SnsClient delegate, Predicate<PublishBatchRequestEntry> fail) {
        this.delegate = delegate;
        this.fail = fail;
    }

    @Override
    public synchronized PublishBatchResponse publishBatch(PublishBatchRequest request) {
        List<PublishBatchRequestEntry> pass = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (PublishBatchRequestEntry e : request.publishBatchRequestEntries()) {
            if (fail.test(e)) {
                failed.add(BatchResultErrorEntry.builder().id(e.id()).code("InternalError").message("injected").senderFault(false).build());
            } else {
                pass.add(e);
            }
        }
        failedEntries += failed.size();
        if (pass.isEmpty()) {
            return PublishBatchResponse.builder().failed(failed).build();
        }
        PublishBatchResponse ok = delegate.publishBatch(request.toBuilder().publishBatchRequestEntries(pass).build());
        return ok.toBuilder().failed(concat(ok.failed(), failed)).build();
    }

    private static List<BatchResultErrorEntry> concat(List<BatchResultErrorEntry> a, List<BatchResultErrorEntry> b) {
        List<BatchResultErrorEntry> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Override
    public String serviceName() {
        return "sns";
    }

    @Override
    public void close() {
        delegate.close();
    }
}
