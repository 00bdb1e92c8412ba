package io.latentnlp.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.latentnlp.models.eval.EvalMetrics;
import io.latentnlp.models.eval.VaeEvaluator;
import io.latentnlp.models.latent.Seeds;
import io.latentnlp.training.model.AdamState;
import io.latentnlp.training.model.Batch;
import io.latentnlp.training.model.DjlScorer;
import io.latentnlp.training.model.FeatureTable;
import io.latentnlp.training.model.LatentSampler;
import io.latentnlp.training.model.Objective;
import io.latentnlp.training.model.VaeNetwork;
import io.latentnlp.training.model.VaeParameters;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The training loop: length-bucketed batches, the configured objective, global-norm gradient
 * clipping, Adam, a NaN/Inf guard, validation and a checkpoint at the end of every epoch, and the
 * best-on-validation parameters kept aside.
 *
 * <p>Schedule: {@code pretrainEpochs} epochs with beta = 0 (an autoencoder), then the decoder is
 * re-initialized and its optimizer state dropped (Li et al. 2019), then {@code epochs} epochs with
 * linear beta annealing and free bits. Every random draw (shuffling, dropout, noise) comes from a
 * generator seeded by (seed, epoch, step), so a resumed run continues exactly as an uninterrupted
 * one would. Not thread-safe; one trainer per JVM at a time (DJL allows one gradient collector).
 */
public final class VaeTrainer {

    /** Training-set loss of one epoch and its validation metrics. */
    public record EpochReport(int epoch, String phase, double loss, double reconstruction, double kl, double betaEnd, long tokens,
            double seconds, EvalMetrics valid) {

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch);
            m.put("phase", phase);
            m.put("train_loss", loss);
            m.put("train_rec", reconstruction);
            m.put("train_kl", kl);
            m.put("beta", betaEnd);
            m.put("train_tokens", tokens);
            m.put("seconds", seconds);
            m.put("tokens_per_s", tokens / Math.max(seconds, 1e-9));
            m.put("valid", valid.toMap());
            return m;
        }
    }

    private final TrainConfig config;
    private final Path runDir;
    private final VaeParameters params;
    private final VaeNetwork network;
    private final AdamState adam;
    private final NDManager manager;
    private final PrintStream log;
    private Checkpoint state;
    private EvalMetrics bestValid;
    private DecoderInit decoderInit;

    /**
     * @param params initialized parameters (owned by the caller)
     * @param runDir where checkpoints and metrics go
     * @param resume continue from {@code runDir/checkpoint}
     * @param log diagnostics and progress (stderr in the CLI)
     */
    public VaeTrainer(TrainConfig config, VaeParameters params, Path runDir, boolean resume, PrintStream log) throws IOException {
        this(config, params, null, runDir, resume, log);
    }

    /**
     * @param features the backbone embeddings of every training, validation and test sentence
     *     (pretrained encoder family); null for the LSTM encoder
     */
    public VaeTrainer(TrainConfig config, VaeParameters params, FeatureTable features, Path runDir, boolean resume, PrintStream log) throws IOException {
        this.config = config;
        this.params = params;
        this.runDir = runDir;
        this.network = new VaeNetwork(params, features);
        network.sampledSoftmax(config.sampledSoftmax());
        this.adam = new AdamState(params);
        this.manager = params.manager();
        this.log = log;
        Files.createDirectories(runDir);
        state = Checkpoint.resumeOrStart(runDir, resume, params, adam, config.totalEpochs(), log);
    }

    /**
     * Starts the decoder from a trained language model: now, unless a resumed run is past its
     * first epoch, and again after encoder pretraining instead of a random reset.
     */
    public void initDecoder(DecoderInit init) {
        this.decoderInit = init;
        if (state.completedEpochs() == 0) {
            init.apply(params);
        }
        log.println("decoder: starts from the language model in " + init.source() + (config.hasLatent() ? " (z's weights at zero)" : ""));
    }

    /** The state reached so far. */
    public Checkpoint state() {
        return state;
    }

    public VaeNetwork network() {
        return network;
    }

    /**
     * Runs the remaining epochs.
     *
     * @param onEpoch called after each epoch's checkpoint is written
     * @throws TrainingDivergedException when the loss or gradient norm is not finite
     */
    public void train(List<int[]> train, List<int[]> valid, Consumer<EpochReport> onEpoch) throws IOException {
        if (train.isEmpty() || valid.isEmpty()) {
            throw new IllegalArgumentException("training needs at least one training and one validation sentence");
        }
        for (int epoch = state.completedEpochs(); epoch < config.totalEpochs(); epoch++) {
            boolean pretrain = epoch < config.pretrainEpochs();
            if (!pretrain && config.pretrainEpochs() > 0 && !state.decoderReset()) {
                params.reinitialize("dec.", config.seed() + 1);
                if (decoderInit != null) {
                    decoderInit.apply(params);
                }
                adam.reset();
                state = new Checkpoint(state.completedEpochs(), state.mainSteps(), 0, true, state.bestEpoch(), state.bestValidNll(), state.trainSeconds());
                log.println("pretraining done: decoder re-initialized (Li et al. 2019)" + (decoderInit != null ? " to the language model" : "")
                        + ", annealing and free bits start now");
            }
            EpochReport report = runEpoch(epoch, pretrain, train, valid);
            boolean best = !pretrain && report.valid().iwNll() < state.bestValidNll();
            if (best) {
                bestValid = report.valid();
                Checkpoint.saveBest(runDir, params);
            }
            state = new Checkpoint(epoch + 1, state.mainSteps(), adam.step(), state.decoderReset(), best ? epoch + 1 : state.bestEpoch(),
                    best ? report.valid().iwNll() : state.bestValidNll(), state.trainSeconds() + report.seconds());
            state.save(runDir, params, adam);
            onEpoch.accept(report);
        }
    }

    /**
     * Validation metrics of the best epoch, if it ran in this process (null after a resume that
     * had nothing left to train).
     */
    public EvalMetrics bestValidMetrics() {
        return bestValid;
    }

    /** Loads the best-on-validation parameters, if an epoch of the main phase has finished. */
    public boolean restoreBest() throws IOException {
        return Checkpoint.restoreBest(runDir, params);
    }

    private EpochReport runEpoch(int epoch, boolean pretrain, List<int[]> train, List<int[]> valid) {
        List<List<int[]>> batches = bucketedBatches(train, config.batchSize(), Seeds.mix64(Seeds.mix64(config.seed()) ^ epoch));
        int steps = config.maxStepsPerEpoch() > 0 ? Math.min(config.maxStepsPerEpoch(), batches.size()) : batches.size();
        String label = String.format("epoch %d/%d%s", epoch + 1, config.totalEpochs(), pretrain ? " (pretrain)" : "");
        ProgressBar bar = new ProgressBar(label, steps, log);
        long start = System.nanoTime();
        double sumLoss = 0;
        double sumRec = 0;
        double sumKl = 0;
        long tokens = 0;
        double beta = 0;
        for (int step = 0; step < steps; step++) {
            SplittableRandom rng = Seeds.stream(config.seed(), epoch, step);
            Batch batch = Batch.of(batches.get(step)).withWordDropout(config.wordDropout(), rng);
            beta = pretrain || !config.hasLatent() ? 0 : config.beta(state.mainSteps());
            double freeBits = pretrain ? 0 : config.freeBits();
            try (NDManager m = manager.newSubManager()) {
                Objective.Result r;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    r = config.iwaeSamples() > 1 && !pretrain
                            ? Objective.negativeIwae(m, network, batch, config.iwaeSamples(), config.dropout(), rng)
                            : Objective.negativeElbo(m, network, batch, sampler(), beta, freeBits, config.dropout(), config.bowWeight(), rng);
                    double loss = r.loss().getFloat();
                    if (!Double.isFinite(loss)) {
                        throw diverged("loss is " + loss, epoch, step, beta);
                    }
                    collector.backward(r.loss());
                    sumLoss += loss;
                }
                applyGradients(m, epoch, step, beta);
                sumRec += r.reconstruction();
                sumKl += r.kl();
            }
            tokens += batch.tokenCount();
            if (!pretrain) {
                state = new Checkpoint(state.completedEpochs(), state.mainSteps() + 1, state.adamSteps(), state.decoderReset(), state.bestEpoch(),
                        state.bestValidNll(), state.trainSeconds());
            }
            double secs = (System.nanoTime() - start) / 1e9;
            bar.update(step + 1, String.format("loss %.2f rec %.2f kl %.2f beta %.2f %.0f tok/s", sumLoss / (step + 1), sumRec / (step + 1),
                    sumKl / (step + 1), beta, tokens / Math.max(secs, 1e-9)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        bar.finish(String.format("loss %.2f rec %.2f kl %.2f beta %.2f %.0f tok/s", sumLoss / steps, sumRec / steps, sumKl / steps, beta, tokens / seconds));
        EvalMetrics metrics = validate(valid);
        if (!pretrain && metrics.collapsed()) {
            log.printf("%n!!! POSTERIOR COLLAPSE at epoch %d: validation KL %.3f nats, active units %d/%d, MI %.3f.%n"
                    + "!!! The decoder ignores z. Try --pretrain-epochs, --free-bits or --anneal-steps.%n%n",
                    epoch + 1, metrics.kl(), metrics.activeUnits(), metrics.latentDim(), metrics.mutualInformation());
        }
        return new EpochReport(epoch + 1, pretrain ? "pretrain" : "main", sumLoss / steps, sumRec / steps, sumKl / steps, beta, tokens, seconds, metrics);
    }

    /** Validation metrics of the current parameters. */
    public EvalMetrics validate(List<int[]> valid) {
        ProgressBar bar = new ProgressBar("  validation", valid.size(), log);
        EvalMetrics m = VaeEvaluator.evaluate(new DjlScorer(network, manager), valid,
                new VaeEvaluator.Settings(config.evalSamples(), 64, config.seed(), 0.01), done -> bar.update(done, ""));
        bar.finish(String.format("IW-NLL %.2f PPL %.1f KL %.2f MI %.2f AU %d", m.iwNll(), m.perplexity(), m.kl(), m.mutualInformation(), m.activeUnits()));
        return m;
    }

    /** The sampler at the current main-phase step (the Gumbel-softmax temperature may anneal). */
    private LatentSampler sampler() {
        return new LatentSampler(network.dims(), config.estimator(), config.latentType() == io.latentnlp.models.latent.LatentType.CATEGORICAL ? config.tau(state.mainSteps()) : 1.0);
    }

    private void applyGradients(NDManager m, int epoch, int step, double beta) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        double sq = 0;
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : params.all().entrySet()) {
            if (!e.getValue().hasGradient()) {
                continue;
            }
            NDArray g = e.getValue().getGradient();
            g.attach(m);
            grads.put(e.getKey(), g);
            // Sum of squares in double: float32 overflows at norms above ~1e19.
            double norm = g.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).norm().getDouble();
            if (!Double.isFinite(norm)) {
                bad.add(e.getKey() + " (" + norm + ")");
            }
            sq += norm * norm;
        }
        double norm = Math.sqrt(sq);
        if (!bad.isEmpty() || !Double.isFinite(norm)) {
            // Zero the gradients so that nothing of this step survives, then stop.
            grads.values().forEach(g -> g.muli(0));
            throw diverged("gradient norm is " + norm + " (non-finite in " + bad + ")", epoch, step, beta);
        }
        double scale = config.clipNorm() > 0 && norm > config.clipNorm() ? config.clipNorm() / norm : 1.0;
        adam.update(grads, config.learningRate(), scale);
    }

    private TrainingDivergedException diverged(String what, int epoch, int step, double beta) {
        return new TrainingDivergedException(String.format(
                "training diverged: %s at epoch %d, step %d (beta %.3f). The parameters were not updated by this step; "
                        + "the last good checkpoint (end of epoch %d) is in %s. Lower --lr or --clip-norm and run again with --resume.",
                what, epoch + 1, step + 1, beta, state.completedEpochs(), runDir.resolve(Checkpoint.DIR)));
    }

    /**
     * Shuffles, sorts by length within pools of 50 batches, cuts into batches and shuffles the
     * batches: little padding, still a different order every epoch. Deterministic in {@code seed}.
     */
    public static List<List<int[]>> bucketedBatches(List<int[]> data, int batchSize, long seed) {
        List<int[]> shuffled = new ArrayList<>(data);
        Random rng = new Random(seed);
        Collections.shuffle(shuffled, rng);
        int pool = batchSize * 50;
        List<List<int[]>> batches = new ArrayList<>();
        for (int from = 0; from < shuffled.size(); from += pool) {
            List<int[]> chunk = new ArrayList<>(shuffled.subList(from, Math.min(shuffled.size(), from + pool)));
            chunk.sort(Comparator.comparingInt(s -> s.length));
            for (int b = 0; b < chunk.size(); b += batchSize) {
                batches.add(chunk.subList(b, Math.min(chunk.size(), b + batchSize)));
            }
        }
        Collections.shuffle(batches, rng);
        return batches;
    }
}
