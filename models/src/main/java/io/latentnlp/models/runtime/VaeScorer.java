package io.latentnlp.models.runtime;

import io.latentnlp.models.bundle.OnnxContract;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.text.EncodedSentence;
import java.util.List;

/**
 * What evaluation needs of a sentence VAE, whichever engine runs it (ONNX Runtime here, DJL in
 * training). Sentences are id arrays ending in {@code </s>}, as in {@link OnnxContract}.
 */
public interface VaeScorer {

    /** Latent dimensions; 0 for a model without a latent variable (the language-model baseline). */
    int latentDim();

    /** Width of a code z given to {@link #tokenLogProbs} ({@link LatentType#codeDim}). */
    int codeDim();

    /** q(z|x) for each sentence; for {@code latentDim() == 0}, empty posteriors. */
    Posterior[] encode(List<int[]> sentences);

    /**
     * q(z|x) for encoded sentences: ids, and the normalized text that an encoder family reading
     * text (the pretrained backbone) needs. By default the ids alone.
     */
    default Posterior[] encodeSentences(List<EncodedSentence> sentences) {
        return encode(EncodedSentence.ids(sentences));
    }

    /** {@code result[i][t] = log p(x_t | x_<t, z_i)} for each id of sentence i. */
    float[][] tokenLogProbs(List<int[]> sentences, float[][] z);
}
