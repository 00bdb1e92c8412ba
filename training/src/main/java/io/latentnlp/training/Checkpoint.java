package io.latentnlp.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentnlp.training.model.AdamState;
import io.latentnlp.training.model.VaeParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The end-of-epoch state of a run in {@code RUN/checkpoint/}: parameters, Adam moments and the
 * counters below. Written to a temporary directory and renamed into place, so a kill at any
 * moment leaves either the previous or the new checkpoint, never a torn one.
 *
 * @param completedEpochs epochs finished (pretraining included)
 * @param mainSteps steps taken in the main phase (drives beta annealing)
 * @param adamSteps Adam's step count since its last reset
 * @param decoderReset whether the post-pretraining decoder reset has happened
 * @param bestEpoch the epoch (1-based) with the best validation IW-NLL so far, 0 if none
 * @param bestValidNll that IW-NLL
 * @param trainSeconds wall-clock training time so far
 */
public record Checkpoint(int completedEpochs, long mainSteps, long adamSteps, boolean decoderReset, int bestEpoch, double bestValidNll, double trainSeconds) {

    static final String DIR = "checkpoint";
    static final String BEST = "best-params.ndl";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A fresh run's state. */
    static Checkpoint start() {
        return new Checkpoint(0, 0, 0, false, 0, Double.MAX_VALUE, 0);
    }

    /** Saves state, parameters and optimizer atomically under {@code runDir/checkpoint}. */
    void save(Path runDir, VaeParameters params, AdamState adam) throws IOException {
        Path tmp = runDir.resolve(DIR + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        try (OutputStream out = Files.newOutputStream(tmp.resolve("params.ndl"))) {
            params.save(out);
        }
        try (OutputStream out = Files.newOutputStream(tmp.resolve("adam.ndl"))) {
            adam.save(out);
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve("state.json").toFile(), this);
        Path target = runDir.resolve(DIR);
        Path old = runDir.resolve(DIR + ".old");
        deleteTree(old);
        if (Files.exists(target)) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
    }

    /**
     * The state to start from: the checkpoint in {@code runDir} loaded into {@code params} and
     * {@code adam} when resuming and there is one (said on {@code log}), else a fresh start.
     */
    static Checkpoint resumeOrStart(Path runDir, boolean resume, VaeParameters params, AdamState adam, int totalEpochs, java.io.PrintStream log)
            throws IOException {
        if (resume && exists(runDir)) {
            Checkpoint state = load(runDir, params, adam);
            log.printf("resuming %s after epoch %d of %d%n", runDir, state.completedEpochs(), totalEpochs);
            return state;
        }
        return start();
    }

    /** Keeps {@code params} aside as the run's best ({@code RUN/best-params.ndl}), replaced atomically. */
    static void saveBest(Path runDir, VaeParameters params) throws IOException {
        Path tmp = runDir.resolve(BEST + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            params.save(out);
        }
        Files.move(tmp, runDir.resolve(BEST), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Loads the run's best parameters into {@code params}; false when none were kept yet. */
    static boolean restoreBest(Path runDir, VaeParameters params) throws IOException {
        Path best = runDir.resolve(BEST);
        if (!Files.exists(best)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(best)) {
            params.load(in);
        }
        return true;
    }

    /** Whether a run directory holds a checkpoint to resume from. */
    static boolean exists(Path runDir) {
        return Files.exists(runDir.resolve(DIR).resolve("state.json")) || Files.exists(runDir.resolve(DIR + ".old").resolve("state.json"));
    }

    /** Loads the checkpoint into the given parameters and optimizer and returns its state. */
    static Checkpoint load(Path runDir, VaeParameters params, AdamState adam) throws IOException {
        Path dir = runDir.resolve(DIR);
        if (!Files.exists(dir.resolve("state.json"))) {
            // Killed between the two renames of save(): the previous checkpoint is complete.
            dir = runDir.resolve(DIR + ".old");
        }
        Checkpoint state = JSON.readValue(dir.resolve("state.json").toFile(), Checkpoint.class);
        try (InputStream in = Files.newInputStream(dir.resolve("params.ndl"))) {
            params.load(in);
        }
        try (InputStream in = Files.newInputStream(dir.resolve("adam.ndl"))) {
            adam.load(in, state.adamSteps());
        }
        return state;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }
}
