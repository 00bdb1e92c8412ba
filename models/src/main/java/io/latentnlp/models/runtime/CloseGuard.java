package io.latentnlp.models.runtime;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps a native resource open while calls use it: any number of calls run at once (each holds
 * the read side of a {@link ReentrantReadWriteLock}), and {@link #close} takes the write side, so
 * it waits for the calls in flight, holds back new ones while it waits, and then releases the
 * resource exactly once. A call that starts after close throws {@link IllegalStateException} with
 * the message given here. ONNX Runtime frees a session's memory in {@code OrtSession.close()}
 * even while {@code run} uses it on another thread, which kills the JVM; every class holding
 * sessions routes its public methods through one of these.
 *
 * <p>Thread-safe. Calls may nest on one thread (the read lock is reentrant); closing from inside a
 * call is refused, since the close would wait for itself.
 */
public final class CloseGuard {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final String closedMessage;
    private volatile boolean closed;

    /** @param closedMessage what a call after close throws; name the resource (the bundle) */
    public CloseGuard(String closedMessage) {
        this.closedMessage = closedMessage;
    }

    /**
     * Runs {@code body} while the resource is open; {@link #close} waits for it to return.
     *
     * @throws IllegalStateException when the resource is closed
     */
    public <T> T call(Supplier<T> body) {
        ReentrantReadWriteLock.ReadLock read = lock.readLock();
        read.lock();
        try {
            if (closed) {
                throw new IllegalStateException(closedMessage);
            }
            return body.get();
        } finally {
            read.unlock();
        }
    }

    /** {@link #call} for a body without a result. */
    public void run(Runnable body) {
        call(() -> {
            body.run();
            return null;
        });
    }

    /**
     * Closes: waits for the calls in flight, then runs {@code release} (on the first close only).
     * Idempotent.
     *
     * @throws IllegalStateException when called from inside a call on this thread
     */
    public void close(Runnable release) {
        if (lock.getReadHoldCount() > 0) {
            throw new IllegalStateException("close() called from inside a call on the same resource would wait for itself; close it after the call returns");
        }
        ReentrantReadWriteLock.WriteLock write = lock.writeLock();
        write.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            release.run();
        } finally {
            write.unlock();
        }
    }

    /** Whether {@link #close} has run. */
    public boolean isClosed() {
        return closed;
    }
}
