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
 */
public record DistillConfig(String loss, int epochs, int batchSize, double learningRate, double clipNorm, long seed, int maxSentences, int maxStepsPerEpoch,
        String hash, int hashIterations, String initEmbedding) {

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
        if (!(clipNorm >= 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("illegal --clip-norm " + clipNorm + ": must be 0 (off) or a positive finite number");
        }
    }

    /** The defaults of {@code latent-nlp distill}. */
    public static DistillConfig defaults() {
        return new DistillConfig(DistillLoss.KL, 5, 64, 1e-3, 5.0, 42, 0, 0, HASH_ITQ, 50, INIT_RANDOM);
    }

    public DistillConfig withEpochs(int n) {
        return new DistillConfig(loss, n, batchSize, learningRate, clipNorm, seed, maxSentences, maxStepsPerEpoch, hash, hashIterations, initEmbedding);
    }

    private static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("illegal " + option + " " + value + ": must be at least " + min);
        }
    }
}
