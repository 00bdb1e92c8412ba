package io.latentnlp.annotator.opennlp.cmdline;

import io.latentnlp.annotator.opennlp.SentenceVaeModel;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.eval.EvalMetrics;
import io.latentnlp.models.eval.VaeEvaluator;
import io.latentnlp.models.text.InvalidUtf8Exception;
import io.latentnlp.models.text.SentenceEncoder;
import io.latentnlp.models.text.Utf8LineReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import opennlp.tools.cmdline.ArgumentParser.OptionalParameter;
import opennlp.tools.cmdline.ArgumentParser.ParameterDescription;
import opennlp.tools.cmdline.BasicCmdLineTool;
import opennlp.tools.cmdline.CmdLineUtil;
import opennlp.tools.cmdline.PerformanceMonitor;
import opennlp.tools.cmdline.TerminateToolException;

/**
 * {@code SentenceVaeEvaluator}: the metrics of a bundle on whitespace-tokenized sentences (one
 * per line, blank lines skipped): IW-NLL, perplexity, ELBO, reconstruction, KL, mutual
 * information and active units, computed with ONNX Runtime. The table goes to stdout.
 */
public final class SentenceVaeEvaluatorTool extends BasicCmdLineTool {

    interface Params {
        @ParameterDescription(valueName = "model", description = "the sentence VAE: a shipped model's name or a bundle; default " + ShippedModels.DEFAULT + ".")
        @OptionalParameter(defaultValue = ShippedModels.DEFAULT)
        String getModel();

        @ParameterDescription(valueName = "sentencesFile", description = "whitespace-tokenized sentences, one per line, UTF-8.")
        File getData();

        @ParameterDescription(valueName = "K", description = "importance samples of the IW-NLL; default 100.")
        @OptionalParameter(defaultValue = "100")
        Integer getIwae();
    }

    @Override
    public String getShortDescription() {
        return "evaluates a sentence VAE bundle: IW-NLL, perplexity, KL, mutual information, active units";
    }

    @Override
    public String getHelp() {
        return getBasicHelp(Params.class);
    }

    @Override
    public void run(String[] args) {
        Params params = validateAndParseParams(args, Params.class);
        CmdLineUtil.checkInputFile("-data sentences", params.getData()); // OpenNLP says "The <name> file does not exist! Path: ..."
        if (params.getIwae() < 1) {
            throw new TerminateToolException(ToolArguments.USAGE, "illegal value for -iwae: " + params.getIwae() + "; must be at least 1");
        }
        try (SentenceVaeModel model = SentenceVaeTool.load(params.getModel()); InputStream in = Files.newInputStream(params.getData().toPath())) {
            SentenceEncoder encoder = model.bundle().sentenceEncoder();
            List<io.latentnlp.models.text.EncodedSentence> ids = new ArrayList<>();
            Utf8LineReader reader = new Utf8LineReader(in, false);
            Utf8LineReader.Line line;
            while ((line = reader.next()) != null) {
                String t = line.text().strip();
                if (!t.isEmpty()) {
                    ids.add(encoder.encode(Arrays.asList(t.split("\\s+"))));
                }
            }
            if (ids.isEmpty()) {
                throw new TerminateToolException(SentenceVaeTool.FAILURE, params.getData() + " has no sentences");
            }
            PerformanceMonitor perf = new PerformanceMonitor(System.err, "sent");
            perf.start();
            long[] last = {0};
            EvalMetrics m = VaeEvaluator.evaluateSentences(model.runtime(), ids, new VaeEvaluator.Settings(params.getIwae(), 64, 42, 0.01), done -> {
                perf.incrementCounter((int) (done - last[0]));
                last[0] = done;
            });
            perf.stopAndPrintFinalResult();
            System.out.print(m.toTable());
        } catch (InvalidUtf8Exception e) {
            throw new TerminateToolException(SentenceVaeTool.FAILURE, params.getData() + ": " + e.getMessage() + "; the file must be UTF-8 text");
        } catch (IOException e) {
            throw new TerminateToolException(SentenceVaeTool.FAILURE, "cannot read " + params.getData() + ": " + e.getMessage(), e);
        }
    }
}
