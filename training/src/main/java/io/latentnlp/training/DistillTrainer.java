package io.latentnlp.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.latentnlp.models.latent.Seeds;
import io.latentnlp.training.model.AdamState;
import io.latentnlp.training.model.Batch;
import io.latentnlp.training.model.DistillLoss;
import io.latentnlp.training.model.FeatureTable;
import io.latentnlp.training.model.Objective;
import io.latentnlp.training.model.VaeNetwork;
import io.latentnlp.training.model.VaeParameters;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The training loop of encoder distillation: a student LSTM encoder ({@code enc.emb},
 * {@code enc.lstm}, {@code enc.mu}, {@code enc.logvar}) learns to give each sentence the teacher's
 * Gaussian posterior, by {@link DistillLoss} over length-bucketed batches ({@link
 * VaeTrainer#bucketedBatches}), Adam ({@link AdamState}) with global-norm clipping, a checkpoint
 * per epoch ({@link Checkpoint}, whose {@code bestValidNll} holds the best validation loss here)
 * and the best-on-validation parameters kept aside. Only the {@code enc.*} tensors are trained.
 * The decoder tensors hold the teacher's decoder ({@link io.latentnlp.training.export.OnnxExporter#decoderParameters})
 * and are read only by the ELBO term ({@link DistillConfig#elboWeight()}), never updated: the
 * student's bundle takes the teacher's decoder graphs as they are.
 *
 * <p>Batch order comes from (seed, epoch), so {@code --resume} continues as an uninterrupted run
 * would. Not thread-safe; one trainer per JVM at a time (DJL allows one gradient collector).
 */
public final class DistillTrainer {

    /**
     * Validation of one set of parameters: batch means per sentence.
     *
     * @param loss the configured loss (what selects the best epoch)
     * @param kl KL(teacher || student), nats
     * @param meanSquaredError sum over dimensions of (mu_T - mu_S)^2
     * @param negativeElbo the student's negative ELBO under the teacher's decoder (one sample per
     *     sentence from a fixed seed, so epochs compare), NaN when the ELBO term is off
     */
    public record Validation(double loss, double kl, double meanSquaredError, double negativeElbo) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("loss", loss);
            m.put("kl", kl);
            m.put("mean_mse", meanSquaredError);
            if (!Double.isNaN(negativeElbo)) {
                m.put("neg_elbo", negativeElbo);
            }
            return m;
        }
    }

    /** One epoch: training loss (batch mean), time and validation. Epoch 0 is the untrained student. */
    public record EpochReport(int epoch, double trainLoss, double seconds, Validation valid) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch);
            m.put("train_loss", Double.isNaN(trainLoss) ? null : trainLoss);
            m.put("seconds", seconds);
            m.put("valid", valid.toMap());
            return m;
        }
    }

    /** Sentences per forward pass in validation and encoding. */
    private static final int EVAL_BATCH = 256;

    private final DistillConfig config;
    private final VaeParameters params;
    private final VaeNetwork network;
    private final FeatureTable teacher;
    private final AdamState adam;
    private final NDManager manager;
    private final Path runDir;
    private final PrintStream log;
    private final int dim;
    private Checkpoint state;

    /**
     * @param params the student's initialized parameters (an LSTM-encoder Gaussian model; owned by the caller)
     * @param teacher the teacher's posterior of every training and validation sentence, [mean | logvar] (2d wide)
     * @param resume continue from {@code runDir/checkpoint} when there is one
     */
    public DistillTrainer(DistillConfig config, VaeParameters params, FeatureTable teacher, Path runDir, boolean resume, PrintStream log) throws IOException {
        if (params.dims().pretrained() || params.dims().type() != io.latentnlp.models.latent.LatentType.GAUSSIAN) {
            throw new IllegalArgumentException("the student must be an LSTM encoder with a Gaussian latent, got " + params.dims());
        }
        if (teacher.dim() != 2 * params.dims().latent()) {
            throw new IllegalArgumentException("teacher posteriors of width " + teacher.dim() + " for a student of " + params.dims().latent() + " dimensions");
        }
        this.config = config;
        this.params = params;
        this.network = new VaeNetwork(params);
        this.teacher = teacher;
        this.adam = new AdamState(params);
        this.manager = params.manager();
        this.runDir = runDir;
        this.log = log;
        this.dim = params.dims().latent();
        Files.createDirectories(runDir);
        state = Checkpoint.resumeOrStart(runDir, resume, params, adam, config.epochs(), log);
    }

    public Checkpoint state() {
        return state;
    }

    public VaeNetwork network() {
        return network;
    }

    /**
     * Runs the remaining epochs; before the first epoch of a fresh run, reports the untrained
     * student as epoch 0 (the loss distillation starts from).
     */
    public void train(List<int[]> train, List<int[]> valid, Consumer<EpochReport> onEpoch) throws IOException {
        if (train.isEmpty() || valid.isEmpty()) {
            throw new IllegalArgumentException("distillation needs at least one training and one validation sentence");
        }
        if (state.completedEpochs() == 0) {
            onEpoch.accept(new EpochReport(0, Double.NaN, 0, validate(valid)));
        }
        for (int epoch = state.completedEpochs(); epoch < config.epochs(); epoch++) {
            EpochReport report = runEpoch(epoch, train, valid);
            boolean best = report.valid().loss() < state.bestValidNll();
            if (best) {
                Checkpoint.saveBest(runDir, params);
            }
            state = new Checkpoint(epoch + 1, state.mainSteps(), adam.step(), false, best ? epoch + 1 : state.bestEpoch(),
                    best ? report.valid().loss() : state.bestValidNll(), state.trainSeconds() + report.seconds());
            state.save(runDir, params, adam);
            onEpoch.accept(report);
        }
    }

    /** Loads the best-on-validation parameters; false when no epoch has finished. */
    public boolean restoreBest() throws IOException {
        return Checkpoint.restoreBest(runDir, params);
    }

    private EpochReport runEpoch(int epoch, List<int[]> train, List<int[]> valid) {
        List<List<int[]>> batches = VaeTrainer.bucketedBatches(train, config.batchSize(), Seeds.mix64(Seeds.mix64(config.seed()) ^ epoch));
        int steps = config.maxStepsPerEpoch() > 0 ? Math.min(config.maxStepsPerEpoch(), batches.size()) : batches.size();
        ProgressBar bar = new ProgressBar(String.format("epoch %d/%d", epoch + 1, config.epochs()), steps, log);
        long start = System.nanoTime();
        double sum = 0;
        long sentences = 0;
        for (int step = 0; step < steps; step++) {
            Batch batch = Batch.of(batches.get(step));
            try (NDManager m = manager.newSubManager()) {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = loss(m, batch, new java.util.SplittableRandom(Seeds.mix64(config.seed() ^ (epoch * 1_000_003L + step)))).mean();
                    double value = loss.getFloat();
                    if (!Double.isFinite(value)) {
                        throw diverged("loss is " + value, epoch, step);
                    }
                    collector.backward(loss);
                    sum += value;
                }
                applyGradients(m, epoch, step);
            }
            sentences += batch.batch();
            state = new Checkpoint(state.completedEpochs(), state.mainSteps() + 1, state.adamSteps(), false, state.bestEpoch(), state.bestValidNll(),
                    state.trainSeconds());
            double secs = (System.nanoTime() - start) / 1e9;
            bar.update(step + 1, String.format("loss %.3f %.0f sentences/s", sum / (step + 1), sentences / Math.max(secs, 1e-9)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        bar.finish(String.format("loss %.3f %.0f sentences/s", sum / steps, sentences / seconds));
        return new EpochReport(epoch + 1, sum / steps, seconds, validate(valid));
    }

    /** The configured per-sentence loss of a batch, [B]. */
    private NDArray loss(NDManager m, Batch batch, java.util.SplittableRandom rng) {
        NDList q = network.encode(m, batch);
        NDArray[] t = teacherOf(m, batch);
        NDArray distill = DistillLoss.perSentence(config.loss(), t[0], t[1], q.get(0), q.get(1));
        return config.elboWeight() > 0 ? distill.add(negativeElbo(m, batch, q, rng).mul((float) config.elboWeight())) : distill;
    }

    /** -log p(x|z) + KL(q(z|x) || N(0, I)) per sentence [B], z one reparameterized sample, the decoder without dropout. */
    private NDArray negativeElbo(NDManager m, Batch batch, NDList q, java.util.SplittableRandom rng) {
        NDArray z = Objective.reparameterize(q.get(0), q.get(1), Objective.gaussianNoise(m, q.get(0).getShape(), rng));
        NDArray rec = network.decode(m, batch, z, 0, rng).sum(new int[] {1}).neg();
        return rec.add(Objective.klPerDimension(q.get(0), q.get(1)).sum(new int[] {1}));
    }

    private NDArray[] teacherOf(NDManager m, Batch batch) {
        NDArray t = m.create(teacher.rows(batch.rows()), new Shape(batch.batch(), 2L * dim));
        return new NDArray[] {t.get(new NDIndex(":, :" + dim)), t.get(new NDIndex(":, " + dim + ":"))};
    }

    /** Validation of the current parameters: per-sentence means of the loss, the KL and the mean's squared error. */
    public Validation validate(List<int[]> valid) {
        ProgressBar bar = new ProgressBar("  validation", valid.size(), log);
        double loss = 0;
        double kl = 0;
        double mse = 0;
        double elbo = 0;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(config.seed());
        List<int[]> sorted = new ArrayList<>(valid);
        sorted.sort(Comparator.comparingInt(s -> s.length)); // less padding; each row's result does not depend on its batch
        for (int from = 0; from < sorted.size(); from += EVAL_BATCH) {
            Batch batch = Batch.of(sorted.subList(from, Math.min(sorted.size(), from + EVAL_BATCH)));
            try (NDManager m = manager.newSubManager()) {
                NDList q = network.encode(m, batch);
                NDArray[] t = teacherOf(m, batch);
                NDArray distill = DistillLoss.perSentence(config.loss(), t[0], t[1], q.get(0), q.get(1));
                if (config.elboWeight() > 0) {
                    NDArray e = negativeElbo(m, batch, q, rng);
                    elbo += e.sum().getFloat();
                    distill = distill.add(e.mul((float) config.elboWeight()));
                }
                loss += distill.sum().getFloat();
                kl += DistillLoss.kl(t[0], t[1], q.get(0), q.get(1)).sum().getFloat();
                mse += t[0].sub(q.get(0)).square().sum().getFloat();
            }
            bar.update(Math.min(sorted.size(), from + EVAL_BATCH), "");
        }
        int n = valid.size();
        Validation v = new Validation(loss / n, kl / n, mse / n, config.elboWeight() > 0 ? elbo / n : Double.NaN);
        bar.finish(String.format("loss %.4f KL %.4f mean MSE %.4f", v.loss(), v.kl(), v.meanSquaredError())
                + (config.elboWeight() > 0 ? String.format(" -ELBO %.3f", v.negativeElbo()) : ""));
        return v;
    }

    private void applyGradients(NDManager m, int epoch, int step) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        double sq = 0;
        for (Map.Entry<String, NDArray> e : params.all().entrySet()) {
            if (!e.getKey().startsWith("enc.")) {
                continue; // the decoder tensors are not part of the student
            }
            NDArray g = e.getValue().getGradient();
            g.attach(m);
            grads.put(e.getKey(), g);
            double norm = g.toType(DataType.FLOAT64, false).norm().getDouble();
            sq += norm * norm;
        }
        double norm = Math.sqrt(sq);
        if (!Double.isFinite(norm)) {
            grads.values().forEach(g -> g.muli(0));
            throw diverged("gradient norm is " + norm, epoch, step);
        }
        double scale = config.clipNorm() > 0 && norm > config.clipNorm() ? config.clipNorm() / norm : 1.0;
        adam.update(grads, config.learningRate(), scale);
    }

    private TrainingDivergedException diverged(String what, int epoch, int step) {
        return new TrainingDivergedException(String.format("distillation diverged: %s at epoch %d, step %d. The parameters were not updated by this step; "
                + "the last good checkpoint (end of epoch %d) is in %s. Lower --lr or --clip-norm and run again with --resume.", what, epoch + 1, step + 1,
                state.completedEpochs(), runDir.resolve(Checkpoint.DIR)));
    }
}
