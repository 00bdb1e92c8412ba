package io.latentnlp.models.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Closing something that holds ONNX Runtime sessions while other threads use it ({@code
 * SentenceVae}, {@code SentenceGenerator}, the CoreNLP annotator, the OpenNLP model; shared with
 * the annotator's tests through this module's test jar): four threads call {@code
 * work} in a loop; once each has completed a call, {@code close} runs. Every thread must have
 * completed calls (their results checked by {@code work}) and then be refused with {@code
 * closedMessage}, as must a call after close; a second close is a no-op. Before the fix the
 * sessions were freed under running calls (SIGSEGV, or ONNX Runtime's own "closed OrtSession").
 */
public final class CloseWhileInUse {

    /** A close that may throw. */
    public interface Close {
        void close() throws Exception;
    }

    private CloseWhileInUse() {}

    /** Each thread gets its own {@code work} from {@code perThread} (for per-thread documents). */
    public static void check(Callable<Callable<?>> perThread, Close close, String closedMessage) throws Exception {
        int threads = 4;
        CountDownLatch warm = new CountDownLatch(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Callable<?> late = perThread.call();
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<?> work = perThread.call();
                futures.add(pool.submit(() -> {
                    int done = 0;
                    while (true) {
                        try {
                            work.call();
                        } catch (IllegalStateException refused) {
                            assertEquals(closedMessage, refused.getMessage());
                            return done;
                        }
                        if (done++ == 0) {
                            warm.countDown();
                        }
                    }
                }));
            }
            assertTrue(warm.await(120, TimeUnit.SECONDS), "every thread completed a call");
            close.close();
            for (Future<Integer> f : futures) {
                assertTrue(f.get(120, TimeUnit.SECONDS) >= 1, "calls completed before the close");
            }
        } finally {
            pool.shutdownNow();
        }
        IllegalStateException after = assertThrows(IllegalStateException.class, late::call);
        assertEquals(closedMessage, after.getMessage());
        close.close();
    }
}
