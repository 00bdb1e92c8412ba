package io.latentnlp.training;

import io.latentnlp.training.model.DistillLoss;

/**
 * Settings of an encoder distillation ({@link DistillRun}), validated on construction; saved as
 * {@code RUN/distill-config.json} so that {@code --resume} refuses other settings.
 *
 * @param loss {@link DistillLoss#KL} (KL(teacher || student)) or {@link DistillLoss#MSE}
 * @param epochs passes over the training sentences (at least 1)
 * @param batchSize sentences per step, in length-bucketed batches as {@link VaeTrainer} cuts them
 * @param learningRate Adam's step size
 * @param clipNorm global gradient-norm clip, 0 = off
 * @param seed initialization and batch order
 * @param maxSentences use only the first N training sentences, 0 = all
 * @param maxStepsPerEpoch cut epochs short after N steps, 0 = full epochs
 * @param hash the student's hash spec: {@link #HASH_ITQ} (ITQ refitted on the student's training
 *     posterior means, as {@code rehash} fits it) or {@link #HASH_TEACHER} (the teacher's spec as it
 *     is, so student codes can be searched against an index the teacher filled)
 * @param hashIterations ITQ alternations
 * @param initEmbedding {@link #INIT_TEACHER} (the student's embedding starts as the teacher's
 *     decoder embedding of the same units, read from its {@code decoder.onnx}) or {@link #INIT_RANDOM}
 * @param elboWeight w &gt;= 0: the per-sentence loss adds w times the student's negative ELBO under
 *     the teacher's decoder, frozen (one reparameterized sample, no dropout), so the student's
 *     posterior moves toward the decoder's true posterior: a tighter likelihood bound for the very
 *     model it ships with, while the distillation term keeps it near the teacher's codes; 0 = pure
 *     distillation
 * @param initFrom a finished distillation's run directory whose best student starts this one (its
 *     encoder tensors), or null for a fresh student
 */
public record DistillConfig(String loss, int epochs, int batchSize, double learningRate, double clipNorm, long seed, int maxSentences, int maxStepsPerEpoch,
        String hash, int hashIterations, String initEmbedding, double elboWeight, String initFrom) {

    public static final String HASH_ITQ = "itq";
    public static final String HASH_TEACHER = "teacher";
    public static final String INIT_TEACHER = "teacher";
    public static final String INIT_RANDOM = "random";

    public DistillConfig {
        if (!DistillLoss.KL.equals(loss) && !DistillLoss.MSE.equals(loss)) {
            throw new IllegalArgumentException("illegal --loss '" + loss + "': use " + DistillLoss.KL + " or " + DistillLoss.MSE);
        }
        if (!HASH_ITQ.equals(hash) && !HASH_TEACHER.equals(hash)) {
            throw new IllegalArgumentException("illegal --hash '" + hash + "': use " + HASH_ITQ + " or " + HASH_TEACHER);
        }
        if (!INIT_TEACHER.equals(initEmbedding) && !INIT_RANDOM.equals(initEmbedding)) {
            throw new IllegalArgumentException("illegal --init-embedding '" + initEmbedding + "': use " + INIT_TEACHER + " or " + INIT_RANDOM);
        }
        atLeast("--epochs", epochs, 1);
        atLeast("--batch-size", batchSize, 1);
        atLeast("--max-sentences", maxSentences, 0);
        atLeast("--max-steps-per-epoch", maxStepsPerEpoch, 0);
        atLeast("--hash-iterations", hashIterations, 1);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("illegal --lr " + learningRate + ": must be a positive finite number");
        }
        if (!(elboWeight >= 0) || !Double.isFinite(elboWeight)) {
            throw new IllegalArgumentException("illegal --elbo-weight " + elboWeight + ": must be 0 (off) or a positive finite number");
        }
        if (initFrom != null && initFrom.isBlank()) {
            throw new IllegalArgumentException("--init-from is an empty path");
        }
        if (!(clipNorm >= 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("illegal --clip-norm " + clipNorm + ": must be 0 (off) or a positive finite number");
        }
    }

    /** The defaults of {@code latent-nlp distill}. */
    public static DistillConfig defaults() {
        return new DistillConfig(DistillLoss.KL, 5, 64, 1e-3, 5.0, 42, 0, 0, HASH_ITQ, 50, INIT_RANDOM);
    }

    /** Pure distillation from a fresh student (no ELBO term, no starting run). */
    public DistillConfig(String loss, int epochs, int batchSize, double learningRate, double clipNorm, long seed, int maxSentences, int maxStepsPerEpoch,
            String hash, int hashIterations, String initEmbedding) {
        this(loss, epochs, batchSize, learningRate, clipNorm, seed, maxSentences, maxStepsPerEpoch, hash, hashIterations, initEmbedding, 0, null);
    }

    public DistillConfig withEpochs(int n) {
        return new DistillConfig(loss, n, batchSize, learningRate, clipNorm, seed, maxSentences, maxStepsPerEpoch, hash, hashIterations, initEmbedding,
                elboWeight, initFrom);
    }

    /** The same settings with an ELBO weight and a starting run. */
    public DistillConfig withElbo(double weight, String startFrom) {
        return new DistillConfig(loss, epochs, batchSize, learningRate, clipNorm, seed, maxSentences, maxStepsPerEpoch, hash, hashIterations, initEmbedding,
                weight, startFrom);
    }

    private static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("illegal " + option + " " + value + ": must be at least " + min);
        }
    }
}
