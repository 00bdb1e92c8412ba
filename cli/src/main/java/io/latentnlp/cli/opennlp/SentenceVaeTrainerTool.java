package io.latentnlp.cli.opennlp;

import io.latentnlp.models.latent.LatentType;
import io.latentnlp.training.TrainConfig;
import io.latentnlp.training.TrainingRun;
import java.io.File;
import opennlp.tools.cmdline.ArgumentParser.OptionalParameter;
import opennlp.tools.cmdline.ArgumentParser.ParameterDescription;
import opennlp.tools.cmdline.BasicCmdLineTool;
import opennlp.tools.cmdline.CmdLineUtil;
import opennlp.tools.cmdline.TerminateToolException;

/**
 * {@code SentenceVaeTrainer}: trains a sentence VAE bundle from whitespace-tokenized sentences,
 * OpenNLP-style (delegates to the training module; see {@code latent-nlp train --help} for every
 * option). Progress goes to stderr, the final metrics to stdout.
 */
public final class SentenceVaeTrainerTool extends BasicCmdLineTool {

    interface Params {
        @ParameterDescription(valueName = "trainingFile", description = "training sentences, whitespace-tokenized, one per line (or a Brown .tsv).")
        File getData();

        @ParameterDescription(valueName = "validationFile", description = "validation sentences (model selection).")
        File getValid();

        @ParameterDescription(valueName = "modelBundle", description = "the bundle to write (.vae).")
        File getModel();

        @ParameterDescription(valueName = "runDir", description = "checkpoints and metrics; default: the bundle's name + .run.")
        @OptionalParameter(defaultValue = "")
        String getRunDir();

        @ParameterDescription(valueName = "gaussian|bernoulli|categorical", description = "latent family; default bernoulli.")
        @OptionalParameter(defaultValue = "bernoulli")
        String getLatent();

        @ParameterDescription(valueName = "d", description = "latent variables (bits, dimensions or groups); default 64.")
        @OptionalParameter(defaultValue = "64")
        Integer getLatentDim();

        @ParameterDescription(valueName = "n", description = "main-phase epochs; default 2.")
        @OptionalParameter(defaultValue = "2")
        Integer getEpochs();

        @ParameterDescription(valueName = "n", description = "encoder pretraining epochs; default 1.")
        @OptionalParameter(defaultValue = "1")
        Integer getPretrainEpochs();

        @ParameterDescription(valueName = "n", description = "largest vocabulary; default 6000.")
        @OptionalParameter(defaultValue = "6000")
        Integer getVocabSize();

        @ParameterDescription(valueName = "lambda", description = "free bits per latent variable in nats; default 0.3.")
        @OptionalParameter(defaultValue = "0.3")
        String getFreeBits();
    }

    @Override
    public String getShortDescription() {
        return "trains a sentence VAE bundle (DJL, PyTorch CPU) and exports it to ONNX";
    }

    @Override
    public String getHelp() {
        return getBasicHelp(Params.class);
    }

    @Override
    public void run(String[] args) {
        Params p = validateAndParseParams(args, Params.class);
        CmdLineUtil.checkInputFile("-data training", p.getData()); // OpenNLP says "The <name> file does not exist! Path: ..."
        CmdLineUtil.checkInputFile("-valid validation", p.getValid());
        CmdLineUtil.checkOutputFile("model bundle", p.getModel());
        LatentType type = switch (p.getLatent()) {
            case "gaussian" -> LatentType.GAUSSIAN;
            case "bernoulli" -> LatentType.BERNOULLI;
            case "categorical" -> LatentType.CATEGORICAL;
            default -> throw new TerminateToolException(1, "unknown -latent " + p.getLatent() + ": use gaussian, bernoulli or categorical");
        };
        TrainConfig config;
        double freeBits;
        try {
            freeBits = Double.parseDouble(p.getFreeBits());
        } catch (NumberFormatException e) {
            throw new TerminateToolException(1, "-freeBits " + p.getFreeBits() + " is not a number");
        }
        try {
            config = TrainConfig.builder().latentType(type).latentDim(p.getLatentDim()).categories(type == LatentType.CATEGORICAL ? 16 : 0)
                    .embeddingDim(128).hiddenDim(128).vocabSize(p.getVocabSize()).batchSize(64).epochs(p.getEpochs()).pretrainEpochs(p.getPretrainEpochs())
                    .annealSteps(p.getPretrainEpochs() > 0 ? 1000 : 0).betaStart(0.1).freeBits(freeBits).evalSamples(2).testSamples(5).build();
        } catch (IllegalArgumentException e) {
            throw new TerminateToolException(1, e.getMessage());
        }
        String name = p.getModel().getName().replaceFirst("\\.vae$", "");
        java.nio.file.Path runDir = p.getRunDir() == null || p.getRunDir().isEmpty() ? p.getModel().toPath().resolveSibling(name + ".run") : java.nio.file.Path.of(p.getRunDir());
        try {
            TrainingRun.Result r = TrainingRun.run(config, new TrainingRun.Inputs(p.getData().toPath(), p.getValid().toPath(), null), runDir, name,
                    p.getModel().toPath(), false, "opennlp SentenceVaeTrainer " + String.join(" ", args), System.err);
            System.out.print(r.valid().toTable());
            System.out.println("bundle: " + r.bundle());
        } catch (java.io.IOException | RuntimeException e) {
            throw new TerminateToolException(io.latentnlp.annotator.opennlp.cmdline.SentenceVaeTool.FAILURE, "training failed: " + e.getMessage(), e);
        }
    }
}
