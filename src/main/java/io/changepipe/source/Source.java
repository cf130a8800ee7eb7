package io.changepipe.source;

import io.changepipe.event.SourcePosition;
import java.util.Optional;

/**
 * Reads changes. {@code run} is called on a thread of its own and hands every change to the emitter in source order
 * until {@link #stop} is called (then it returns) or it fails (then it throws, naming what to fix). {@code from} is the
 * last committed position: the source resumes after it (re-emitting it is allowed, skipping anything is not).
 */
public interface Source {

    void run(Optional<SourcePosition> from, ChangeEmitter emitter) throws Exception;

    void stop();
}
