package io.latentnlp.cli;

import io.latentnlp.models.eval.EvalMetrics;
import io.latentnlp.models.latent.LatentType;
import io.latentnlp.models.runtime.PretrainedBackbone;
import io.latentnlp.training.TrainConfig;
import io.latentnlp.training.TrainingRun;
import io.latentnlp.training.model.CategoricalEstimator;
import io.latentnlp.training.model.NeighborLoss;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latent-nlp train}: trains a sentence VAE (or the LSTM-LM baseline) and writes a bundle. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Trains a sentence VAE (Gaussian, Bernoulli or categorical latent) with DJL (PyTorch, CPU), exports it to ONNX and writes a model bundle.",
            "Checkpoints every epoch into --run-dir; --resume continues after a kill. Per-epoch metrics go to RUN/metrics.jsonl,",
            "the final table to stdout. Corpus files: one sentence per line, or the prepared Brown .tsv (scripts/fetch-brown.sh)."
        })
final class TrainCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Training corpus.")
    Path train;

    @Option(names = "--valid", required = true, paramLabel = "FILE", description = "Validation corpus (model selection, per-epoch metrics).")
    Path valid;

    @Option(names = "--test", paramLabel = "FILE", description = "Test corpus, evaluated once at the end.")
    Path test;

    @Option(names = "--run-dir", required = true, paramLabel = "DIR", description = "Checkpoints, metrics.jsonl, summary.json and the bundle.")
    Path runDir;

    @Option(names = "--name", defaultValue = "model", description = "Model name, also the bundle file name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--out", paramLabel = "BUNDLE", description = "Where to write the bundle (default: RUN/NAME.vae; a name without .vae writes a directory).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --run-dir from its last checkpoint.")
    boolean resume;

    @Option(names = "--model", defaultValue = "gaussian", description = "gaussian (alias vae), bernoulli (straight-through), categorical (Gumbel-softmax), "
            + "or lm (LSTM language-model baseline, no bundle) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--latent-dim", defaultValue = "32", description = "Latent variables: Gaussian dimensions, Bernoulli bits or categorical groups (default: ${DEFAULT-VALUE}).")
    int latentDim;

    @Option(names = "--categories", defaultValue = "16", description = "Classes per categorical group K; a power of two gives a hash of latent-dim x log2 K bits "
            + "(categorical only, default: ${DEFAULT-VALUE}).")
    int categories;

    @Option(names = "--estimator", defaultValue = "gumbel", description = "Categorical gradient estimator: gumbel (relaxed Gumbel-softmax) or st-gumbel "
            + "(straight-through: one-hot forward, relaxed backward) (default: ${DEFAULT-VALUE}).")
    String estimator;

    @Option(names = "--tau", defaultValue = "0.9", description = "Gumbel-softmax temperature (default: ${DEFAULT-VALUE}).")
    double tau;

    @Option(names = "--tau-min", defaultValue = "0.5", description = "Lowest temperature when annealing (default: ${DEFAULT-VALUE}).")
    double tauMin;

    @Option(names = "--tau-anneal-rate", defaultValue = "0", description = "tau(step) = max(tau-min, tau exp(-rate step)); 0 = fixed tau (default: ${DEFAULT-VALUE}).")
    double tauAnnealRate;

    @Option(names = "--embedding-dim", defaultValue = "256", description = "Embedding size (default: ${DEFAULT-VALUE}).")
    int embeddingDim;

    @Option(names = "--hidden-dim", defaultValue = "256", description = "LSTM state size (default: ${DEFAULT-VALUE}).")
    int hiddenDim;

    @Option(names = "--tie-embeddings", description = "Reuse the decoder's embedding matrix as its output layer (needs --embedding-dim = --hidden-dim;"
            + " a smaller bundle).")
    boolean tieEmbeddings;

    @Option(names = "--dropout", defaultValue = "0.3", description = "Decoder dropout (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--vocab-size", defaultValue = "10000", description = "Maximum vocabulary size, specials included (default: ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(names = "--min-count", defaultValue = "2", description = "Minimum token count for the vocabulary (default: ${DEFAULT-VALUE}).")
    int minCount;

    @Option(names = "--max-length", defaultValue = "60", description = "Longest sentence in tokens; longer ones are truncated and counted (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--batch-size", defaultValue = "32", description = "Sentences per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--clip-norm", defaultValue = "5.0", description = "Gradient-norm clip, 0 = off (default: ${DEFAULT-VALUE}).")
    double clipNorm;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs of the main phase (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--pretrain-epochs", defaultValue = "0", description = "Encoder pretraining epochs (beta = 0), then the decoder is reset (default: ${DEFAULT-VALUE}).")
    int pretrainEpochs;

    @Option(names = "--anneal-steps", defaultValue = "0", description = "Steps (not epochs: one epoch is ceil(sentences / batch size) steps, printed at the start) of linear KL annealing from --beta-start to 1; 0 = beta is 1 (default: ${DEFAULT-VALUE}).")
    int annealSteps;

    @Option(names = "--beta-start", defaultValue = "0.0", description = "Beta at the start of annealing (default: ${DEFAULT-VALUE}).")
    double betaStart;

    @Option(names = "--free-bits", defaultValue = "0.0", description = "Per-variable free-bits target lambda in nats (below log 2 for bits, log K for groups), 0 = off (default: ${DEFAULT-VALUE}).")
    double freeBits;

    @Option(names = "--iwae-samples", defaultValue = "1", description = "K of the IWAE training objective, 1 = ELBO (default: ${DEFAULT-VALUE}).")
    int iwaeSamples;

    @Option(names = "--eval-samples", defaultValue = "10", description = "K of the IW-NLL in per-epoch validation (default: ${DEFAULT-VALUE}).")
    int evalSamples;

    @Option(names = "--test-samples", defaultValue = "100", description = "K of the IW-NLL on the test set (default: ${DEFAULT-VALUE}).")
    int testSamples;

    @Option(names = "--max-sentences", defaultValue = "0", description = "Use only the first N training sentences, 0 = all (default: ${DEFAULT-VALUE}).")
    int maxSentences;

    @Option(names = "--max-steps-per-epoch", defaultValue = "0", description = "Cut epochs short after N steps, 0 = full epochs (default: ${DEFAULT-VALUE}).")
    int maxStepsPerEpoch;

    @Option(names = "--seed", defaultValue = "42", description = "Master seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--encoder", defaultValue = "lstm", description = "Encoder family: lstm (embedding, LSTM) or pretrained (a frozen --backbone's sentence "
            + "embedding through a trained head; its embeddings are computed once and cached in RUN/features) (default: ${DEFAULT-VALUE}).")
    String encoder;

    @Option(names = "--backbone", paramLabel = "NAME", description = "Backbone of --encoder pretrained (default: " + PretrainedBackbone.MINILM + ").")
    String backbone;

    @Option(names = "--feature-cache", paramLabel = "DIR", description = "Where --encoder pretrained keeps the backbone's embeddings (default: RUN/features);"
            + " runs on the same corpus can share one.")
    Path featureCache;

    @Option(names = "--bow-weight", defaultValue = "0", description = "Weight of the bag-of-words loss: z predicts the sentence's words, order ignored "
            + "(Zhao et al. 2017); 0 = off (default: ${DEFAULT-VALUE}).")
    double bowWeight;

    @Option(names = "--word-dropout", defaultValue = "0", description = "Rate at which decoder input words become <unk> in training (Bowman et al. 2016); "
            + "0 = off (default: ${DEFAULT-VALUE}).")
    double wordDropout;

    @Option(names = "--units", defaultValue = "words", description = "What the vocabulary holds: words (normalized words; rare ones become <unk>) or "
            + "wordpiece (an open vocabulary: the --vocab-size word pieces of all-MiniLM-L6-v2's WordPiece vocabulary the training corpus uses most, "
            + "plus every character it uses, so no word is <unk>) (default: ${DEFAULT-VALUE}).")
    String units;

    @Option(names = "--init-decoder", paramLabel = "RUN", description = "Start the decoder from the language model trained in run directory RUN "
            + "(--model lm, same corpus, --units and sizes): its best parameters, with the weights that read z at zero, so training starts at the "
            + "language model's likelihood; encoder pretraining then resets the decoder to it. With --model lm: continue that model's training.")
    Path initDecoder;

    @Option(names = "--align-weight", defaultValue = "0", description = "Weight of the alignment loss (--encoder pretrained, gaussian): the posterior "
            + "mean is pulled towards --align-scale times the backbone embedding's top principal components (normalized), so the code and its hash keep "
            + "the backbone's geometry at a small KL; 0 = off (default: ${DEFAULT-VALUE}).")
    double alignWeight;

    @Option(names = "--align-scale", defaultValue = "0.5", description = "Root mean square of the aligned posterior means per dimension, "
            + "against the prior's 1; the KL is about latent-dim x scale^2 / 2 nats (default: ${DEFAULT-VALUE}).")
    double alignScale;

    @Option(names = "--decoder", defaultValue = "lstm", description = "lstm (log p(x_t | x_<t, z), a sentence likelihood), lstm-topic (the same "
            + "with U z added to the logits at every position, so the code can raise the words a sentence is about directly) or bow (VDSH/NASH: every "
            + "word from softmax(W z + b), no word order: a hash-only model whose likelihoods are a bag of words'; no language model, bag-of-words "
            + "loss, word dropout or tied embeddings) (default: ${DEFAULT-VALUE}).")
    String decoder;

    @Option(names = "--sampled-softmax", defaultValue = "0", paramLabel = "N", description = "Train the decoder's output layer with a sampled "
            + "softmax: each step normalizes over the batch's own target units plus N others drawn uniformly (weighted to estimate the rest of the "
            + "vocabulary) instead of all of it, which is most of a step's time; validation, test and export use the full softmax; 0 = off "
            + "(default: ${DEFAULT-VALUE}).")
    int sampledSoftmax;

    @Option(names = "--neighbor-weight", defaultValue = "0", description = "Weight of the neighbourhood-preserving loss (--encoder pretrained, "
            + "gaussian): the relaxed bits tanh(mean / --neighbor-scale) of a random batch of training sentences are trained to rank each other as the "
            + "backbone's similarities do, so the hash (the mean's signs against its training medians) is fitted for retrieval; 0 = off "
            + "(default: ${DEFAULT-VALUE}).")
    double neighborWeight;

    @Option(names = "--neighbor-batch", defaultValue = "" + NeighborLoss.Settings.DEFAULT_BATCH, paramLabel = "N",
            description = "Training sentences drawn per step for the neighbor loss (encoder head only; default: ${DEFAULT-VALUE}).")
    int neighborBatch;

    @Option(names = "--neighbor-target-temperature", defaultValue = "" + NeighborLoss.Settings.DEFAULT_TARGET_TEMPERATURE,
            description = "Temperature of the backbone's cosine similarities in the neighbor loss's targets; smaller: only the nearest count "
                    + "(default: ${DEFAULT-VALUE}).")
    double neighborTargetTemperature;

    @Option(names = "--neighbor-code-temperature", defaultValue = "" + NeighborLoss.Settings.DEFAULT_CODE_TEMPERATURE,
            description = "Temperature of the relaxed codes' similarities (in [-1, 1]) in the neighbor loss (default: ${DEFAULT-VALUE}).")
    double neighborCodeTemperature;

    @Option(names = "--neighbor-scale", defaultValue = "" + NeighborLoss.Settings.DEFAULT_SCALE,
            description = "s of the relaxed bits tanh(mean / s): means of about +-s are settled bits (default: ${DEFAULT-VALUE}).")
    double neighborScale;

    @Option(names = "--neighbor-quantization", defaultValue = "" + NeighborLoss.Settings.DEFAULT_QUANTIZATION,
            description = "Weight of (|tanh(mean / s)| - 1)^2 in the neighbor loss, pushing relaxed bits to signs (default: ${DEFAULT-VALUE}).")
    double neighborQuantization;

    @Override
    public Integer call() throws Exception {
        LatentType type = switch (UsageException.oneOf("--model", model, "gaussian", "vae", "bernoulli", "categorical", "lm")) {
            case "vae", "gaussian" -> LatentType.GAUSSIAN;
            case "bernoulli" -> LatentType.BERNOULLI;
            case "categorical" -> LatentType.CATEGORICAL;
            default -> LatentType.NONE;
        };
        UsageException.oneOf("--encoder", encoder, TrainConfig.LSTM, TrainConfig.PRETRAINED);
        TrainConfig config;
        try {
            config = config(type);
        } catch (IllegalArgumentException e) {
            // Settings that break a rule (a negative count, options that exclude each other) are bad usage, not a failure.
            throw new UsageException(e.getMessage());
        }
        String commandLine = "latent-nlp " + String.join(" ", spec.commandLine().getParent().getParseResult().originalArgs());
        TrainingRun.Result result = TrainingRun.run(config, new TrainingRun.Inputs(train, valid, test, featureCache), runDir, name, out, resume, commandLine, System.err);
        System.out.println("== validation (best epoch) ==");
        System.out.print(result.valid().toTable());
        EvalMetrics t = result.test();
        if (t != null) {
            System.out.println("== test ==");
            System.out.print(t.toTable());
        }
        if (result.bundle() != null) {
            System.out.println("bundle: " + result.bundle());
        }
        return 0;
    }

    private TrainConfig config(LatentType type) {
        return new TrainConfig(type, latentDim, type == LatentType.CATEGORICAL ? categories : 0, CategoricalEstimator.parse(estimator), tau, tauMin,
                tauAnnealRate, embeddingDim, hiddenDim, tieEmbeddings, dropout, vocabSize, minCount, maxLength, batchSize,
                learningRate, clipNorm, epochs, pretrainEpochs, annealSteps, betaStart, freeBits, iwaeSamples, evalSamples, testSamples,
                maxSentences, maxStepsPerEpoch, seed, encoder,
                encoder.equals(TrainConfig.PRETRAINED) && backbone == null ? PretrainedBackbone.MINILM : backbone, bowWeight, wordDropout, units,
                initDecoder == null ? null : initDecoder.toString(), alignWeight, alignScale, decoder, sampledSoftmax,
                neighborWeight == 0 ? null
                        : new NeighborLoss.Settings(neighborWeight, neighborBatch, neighborTargetTemperature, neighborCodeTemperature, neighborScale,
                                neighborQuantization));
    }
}
