package io.changepipe.sink.kinesis;

import java.util.Set;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.AccessDeniedException;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/** Sorts what a Kinesis call threw: back off (throttled), try again (transient), or stop with a message that says what to fix. */
final class KinesisErrors {

    enum Kind { THROTTLED, TRANSIENT, FATAL }

    private static final Set<String> THROTTLING = Set.of("ProvisionedThroughputExceededException", "LimitExceededException",
            "KMSThrottlingException", "ThrottlingException", "Throttling", "RequestLimitExceeded", "TooManyRequestsException");
    private static final Set<String> AUTH = Set.of("AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException",
            "MissingAuthenticationTokenException", "MissingAuthenticationToken", "InvalidClientTokenId", "ExpiredTokenException",
            "IncompleteSignatureException", "SignatureDoesNotMatch");

    private KinesisErrors() {
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static Kind kind(Throwable thrown) {
        Throwable t = unwrap(thrown);
        if (t instanceof ProvisionedThroughputExceededException || t instanceof LimitExceededException
                || t instanceof KmsThrottlingException) {
            return Kind.THROTTLED;
        }
        if (t instanceof AwsServiceException e) {
            String code = code(e);
            if (THROTTLING.contains(code) || e.isThrottlingException()) {
                return Kind.THROTTLED;
            }
            if (t instanceof ResourceInUseException || e.statusCode() >= 500 || e.isClockSkewException()
                    || code.equals("InternalFailure") || code.equals("ServiceUnavailable")) {
                return Kind.TRANSIENT;
            }
            return Kind.FATAL;
        }
        return Kind.TRANSIENT;
    }

    /** What went wrong with {@code stream} in {@code region}, and what to do about it. */
    static String fatalMessage(StreamTarget stream, String region, Throwable thrown) {
        Throwable t = unwrap(thrown);
        String detail = t instanceof AwsServiceException e ? code(e) + ": " + message(e) : String.valueOf(t.getMessage());
        if (t instanceof ResourceNotFoundException) {
            return "stream " + stream + " does not exist in " + region + "; create it or set createIfMissing: true";
        }
        if (t instanceof AccessDeniedException || t instanceof AwsServiceException e && AUTH.contains(code(e))) {
            return "access to stream " + stream + " in " + region + " denied (" + detail + "); check the credentials and that"
                    + " the IAM policy allows kinesis:PutRecords and kinesis:DescribeStreamSummary on it";
        }
        if (t instanceof AwsServiceException e && code(e).startsWith("KMS")) {
            return "stream " + stream + " in " + region + " is encrypted with a KMS key this service cannot use (" + detail
                    + "); check the key's state and that the IAM policy allows kms:GenerateDataKey on it";
        }
        if (t instanceof InvalidArgumentException) {
            return "stream " + stream + " in " + region + " rejected a request (" + detail + "); if a record is too large,"
                    + " lower maxRecordSize to the stream's maximum record size";
        }
        return "stream " + stream + " in " + region + ": " + detail;
    }

    static String describe(Throwable thrown) {
        Throwable t = unwrap(thrown);
        return t instanceof AwsServiceException e ? code(e) + ": " + message(e)
                : t instanceof SdkClientException ? t.getMessage() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? e.getClass().getSimpleName()
                : e.awsErrorDetails().errorCode();
    }

    private static String message(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? String.valueOf(e.getMessage())
                : e.awsErrorDetails().errorMessage();
    }
}
