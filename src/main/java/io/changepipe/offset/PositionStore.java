package io.changepipe.offset;

import io.changepipe.event.SourcePosition;
import java.io.IOException;
import java.util.Optional;

/** Keeps each pipeline's committed source position across restarts. */
public interface PositionStore {

    Optional<SourcePosition> load(String pipeline) throws IOException;

    void store(String pipeline, SourcePosition position) throws IOException;
}
