package io.changepipe.source;

import io.changepipe.event.ChangeEvent;

/** Takes a source's changes in source order; blocks while too many changes are unacknowledged (back-pressure). */
public interface ChangeEmitter {

    void emit(ChangeEvent event) throws InterruptedException;
}
