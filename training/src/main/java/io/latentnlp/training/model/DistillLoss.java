package io.latentnlp.training.model;

import ai.djl.ndarray.NDArray;

/**
 * How far a student encoder's Gaussian posterior is from a teacher's, per sentence: the loss of
 * encoder distillation ({@code latent-nlp distill}). Both posteriors are diagonal Gaussians given
 * by mean and log-variance, [B, d] each.
 *
 * <ul>
 *   <li>{@link #KL}: KL(q_T || q_S) = 1/2 sum_i (lv_S - lv_T + (exp(lv_T) + (mu_T - mu_S)^2) / exp(lv_S) - 1),
 *       the closed form for diagonal Gaussians. Its gradient in mu_S is (mu_S - mu_T) / sigma_S^2:
 *       the mean is pulled hardest in the dimensions where the posterior is narrow, which are the
 *       ones the decoder and the hash read most (a wide dimension carries little about x). It is in
 *       nats, like the VAE's own KL, and zero exactly when the posteriors are equal. The forward
 *       direction (teacher first) is the one whose expectation runs over the teacher's z, so the
 *       student must cover every z the teacher would hand the decoder.
 *   <li>{@link #MSE}: sum_i (mu_T - mu_S)^2 + (lv_T - lv_S)^2, every dimension weighted alike.
 * </ul>
 *
 * Stateless.
 */
public final class DistillLoss {

    public static final String KL = "kl";
    public static final String MSE = "mse";

    private DistillLoss() {}

    /** The per-sentence loss [B] named by {@code kind} ({@link #KL} or {@link #MSE}). */
    public static NDArray perSentence(String kind, NDArray teacherMean, NDArray teacherLogvar, NDArray studentMean, NDArray studentLogvar) {
        return switch (kind) {
            case KL -> kl(teacherMean, teacherLogvar, studentMean, studentLogvar);
            case MSE -> teacherMean.sub(studentMean).square().add(teacherLogvar.sub(studentLogvar).square()).sum(new int[] {1});
            default -> throw new IllegalArgumentException("unknown distillation loss '" + kind + "' (use " + KL + " or " + MSE + ")");
        };
    }

    /** KL(N(mu_T, exp lv_T) || N(mu_S, exp lv_S)) summed over dimensions: [B] nats. */
    public static NDArray kl(NDArray teacherMean, NDArray teacherLogvar, NDArray studentMean, NDArray studentLogvar) {
        NDArray ratio = teacherLogvar.exp().add(teacherMean.sub(studentMean).square()).mul(studentLogvar.neg().exp());
        return studentLogvar.sub(teacherLogvar).add(ratio).sub(1f).mul(0.5f).sum(new int[] {1});
    }
}
