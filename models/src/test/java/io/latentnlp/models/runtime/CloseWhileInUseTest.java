package io.latentnlp.models.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentnlp.models.bundle.ModelBundle;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.text.EncodedSentence;
import io.latentnlp.models.text.SentenceEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Closing a model while other threads use it: the calls in flight finish with real results, later
 * calls fail with a message naming the bundle, and the JVM survives (before {@link CloseGuard},
 * ONNX Runtime freed sessions under running calls and the JVM died with SIGSEGV).
 */
class CloseWhileInUseTest {

    private static final ModelBundle SHIPPED = ShippedModels.resolve(null);

    private static List<EncodedSentence> sentences() {
        SentenceEncoder enc = SHIPPED.sentenceEncoder();
        List<EncodedSentence> out = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            out.add(enc.encode(List.of(("The jury said it did not find any evidence in the " + "old ".repeat(i) + "city .").split(" "))));
        }
        return out;
    }

    @Test
    void closingASentenceVaeWaitsForEncodesInFlightAndRefusesLaterOnes() throws Exception {
        List<EncodedSentence> sentences = sentences();
        List<int[]> ids = EncodedSentence.ids(sentences);
        SentenceVae vae = SentenceVae.open(SHIPPED, new SentenceVae.Options(1, 8));
        closeWhileInUse(vae, () -> {
            Posterior[] q = vae.encodeSentences(sentences);
            float[][] lp = vae.tokenLogProbs(ids, java.util.Arrays.stream(q).map(Posterior::code).toArray(float[][]::new));
            assertEquals(ids.size(), lp.length);
            assertTrue(Float.isFinite(lp[0][0]) && lp[0][0] < 0, "a real log-probability: " + lp[0][0]);
            return null;
        }, SHIPPED.source() + ": this SentenceVae is closed");
    }

    @Test
    void closingASentenceGeneratorWaitsForDecodesInFlightAndRefusesLaterOnes() throws Exception {
        SentenceGenerator gen = SentenceGenerator.open(SHIPPED, new SentenceVae.Options(1, 8));
        float[][] z = new float[4][SHIPPED.manifest().latent().codeDim()];
        for (int i = 0; i < z.length; i++) {
            z[i][i] = 1;
        }
        closeWhileInUse(gen, () -> {
            List<SentenceGenerator.Generated> g = gen.greedy(z, 12);
            assertEquals(z.length, g.size());
            assertTrue(g.get(0).logProb() < 0, "decoded: " + g.get(0).text());
            return null;
        }, SHIPPED.source() + ": this SentenceGenerator is closed");
    }

    /** {@link CloseWhileInUse#check} with one shared piece of work. */
    static void closeWhileInUse(AutoCloseable target, Callable<?> work, String closedMessage) throws Exception {
        CloseWhileInUse.check(() -> work, target::close, closedMessage);
    }

    @Test
    void guardedCallsRunTogether() throws Exception {
        CloseGuard guard = new CloseGuard("closed");
        CountDownLatch both = new CountDownLatch(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> f = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                f.add(pool.submit(() -> guard.call(() -> {
                    both.countDown();
                    try {
                        // only true when the other call is inside the guard at the same time
                        return both.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                })));
            }
            assertTrue(f.get(0).get(60, TimeUnit.SECONDS) && f.get(1).get(60, TimeUnit.SECONDS), "two calls in flight at once");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeWaitsForTheCallInFlightAndReleasesOnce() throws Exception {
        CloseGuard guard = new CloseGuard("resource X is closed");
        AtomicInteger released = new AtomicInteger();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> call = pool.submit(() -> guard.call(() -> {
                inside.countDown();
                await(finish);
                return released.get() == 0 ? "ran before the release" : "released under the call";
            }));
            assertTrue(inside.await(30, TimeUnit.SECONDS));
            Future<?> close = pool.submit(() -> guard.close(released::incrementAndGet));
            Thread.sleep(200);
            assertFalse(close.isDone(), "close waits for the call in flight");
            assertEquals(0, released.get());
            finish.countDown();
            assertEquals("ran before the release", call.get(30, TimeUnit.SECONDS));
            close.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, released.get());
        guard.close(released::incrementAndGet);
        assertEquals(1, released.get(), "close is idempotent");
        assertTrue(guard.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> guard.run(() -> {}));
        assertEquals("resource X is closed", e.getMessage());
    }

    @Test
    void closingFromInsideACallIsRefusedInsteadOfDeadlocking() {
        CloseGuard guard = new CloseGuard("closed");
        Consumer<CloseGuard> closeInside = g -> g.run(() -> g.close(() -> {}));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> closeInside.accept(guard));
        assertTrue(e.getMessage().contains("would wait for itself"), e.getMessage());
        assertFalse(guard.isClosed());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
