package io.latentnlp.annotator.opennlp.cmdline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentnlp.annotator.opennlp.RawTextVae;
import io.latentnlp.annotator.opennlp.SentenceVaeME;
import io.latentnlp.annotator.opennlp.SentenceVaeModel;
import io.latentnlp.models.BundleException;
import io.latentnlp.models.Posterior;
import io.latentnlp.models.SentenceVae;
import io.latentnlp.models.ShippedModels;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import opennlp.tools.cmdline.ArgumentParser.OptionalParameter;
import opennlp.tools.cmdline.ArgumentParser.ParameterDescription;
import opennlp.tools.cmdline.BasicCmdLineTool;
import opennlp.tools.cmdline.PerformanceMonitor;
import opennlp.tools.cmdline.TerminateToolException;

/**
 * {@code SentenceVae}: reads one sentence per line from stdin (whitespace-tokenized, OpenNLP's
 * convention, or raw text with {@code -raw true}) and writes one line per input line to stdout:
 * the hash, log-likelihoods, counts and the latent code, as TSV or JSON. An empty input line
 * gives an empty output line, so n lines in give n lines out. Throughput goes to stderr.
 */
public final class SentenceVaeTool extends BasicCmdLineTool {

    /** Exit code for bad input or a bad model (OpenNLP tools use -1 for failures). */
    public static final int FAILURE = -1;

    interface Params {
        @ParameterDescription(valueName = "model", description = "the sentence VAE: a shipped model's name or a bundle (.vae file or directory); default " + ShippedModels.DEFAULT + ".")
        @OptionalParameter(defaultValue = ShippedModels.DEFAULT)
        String getModel();

        @ParameterDescription(valueName = "tsv|json", description = "output format, default tsv.")
        @OptionalParameter(defaultValue = "tsv")
        String getFormat();

        @ParameterDescription(valueName = "true|false", description = "lines are raw text, tokenized with OpenNLP's English TokenizerME; default false (whitespace-tokenized).")
        @OptionalParameter(defaultValue = "false")
        Boolean getRaw();

        @ParameterDescription(valueName = "K", description = "importance samples for the IWAE log p(x), 0 = off; default 0.")
        @OptionalParameter(defaultValue = "0")
        Integer getIwae();

        @ParameterDescription(valueName = "tokens", description = "tokens read per sentence, 0 = the model's training maximum; default 0.")
        @OptionalParameter(defaultValue = "0")
        Integer getMaxLength();

        @ParameterDescription(valueName = "true|false", description = "replace invalid UTF-8 bytes and flag the line instead of stopping; default false.")
        @OptionalParameter(defaultValue = "false")
        Boolean getReplaceInvalid();
    }

    @Override
    public String getShortDescription() {
        return "latent code, semantic hash and log-likelihoods of each sentence, with a sentence VAE";
    }

    @Override
    public String getHelp() {
        return getBasicHelp(Params.class) + " < sentences\n\nOutput (tsv): hash, log p(x|z), IWAE log p(x) (NaN when off), tokens read (</s> included), "
                + "unknown tokens, truncated, invalid UTF-8 replaced, latent code (comma-separated: mean or probabilities).";
    }

    @Override
    public void run(String[] args) {
        Params params = validateAndParseParams(args, Params.class);
        boolean json = switch (params.getFormat()) {
            case "tsv" -> false;
            case "json" -> true;
            default -> throw new TerminateToolException(1, "unknown -format " + params.getFormat() + ": use tsv or json");
        };
        if (params.getIwae() < 0 || params.getMaxLength() < 0) {
            throw new TerminateToolException(1, "-iwae and -maxLength must be >= 0");
        }
        SentenceVaeModel model = load(params.getModel());
        try (model) {
            SentenceVaeME vae = new SentenceVaeME(model, params.getMaxLength());
            RawTextVae raw = params.getRaw() ? new RawTextVae(vae, RawTextVae.Tokenization.MAXENT) : null;
            PrintStream out = new PrintStream(new BufferedOutputStream(System.out), false, StandardCharsets.UTF_8);
            PerformanceMonitor perf = new PerformanceMonitor(System.err, "sent");
            perf.start();
            StrictLineReader reader = new StrictLineReader(System.in, params.getReplaceInvalid());
            List<StrictLineReader.Line> batch = new ArrayList<>();
            StrictLineReader.Line line;
            while ((line = reader.next()) != null) {
                batch.add(line);
                if (batch.size() == 256) {
                    write(vae, raw, batch, params.getIwae(), json, out);
                    perf.incrementCounter(batch.size());
                    batch.clear();
                }
            }
            write(vae, raw, batch, params.getIwae(), json, out);
            perf.incrementCounter(batch.size());
            out.flush();
            perf.stopAndPrintFinalResult();
        } catch (StrictLineReader.InvalidInputException e) {
            System.out.flush();
            throw new TerminateToolException(FAILURE, e.getMessage());
        } catch (IOException e) {
            throw new TerminateToolException(FAILURE, "cannot read stdin: " + e.getMessage(), e);
        }
    }

    static SentenceVaeModel load(String ref) {
        try {
            return SentenceVaeModel.load(ref, SentenceVae.Options.defaults());
        } catch (BundleException e) {
            throw new TerminateToolException(FAILURE, "-model " + ref + ": " + e.getMessage(), e);
        }
    }

    private static void write(SentenceVaeME vae, RawTextVae raw, List<StrictLineReader.Line> lines, int iwae, boolean json, PrintStream out)
            throws IOException {
        List<String[]> sentences = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).text().strip();
            if (!text.isEmpty()) {
                sentences.add(raw != null ? raw.tokenize(text) : text.split("\\s+"));
                index.add(i);
            }
        }
        SentenceVaeME.Result[] results = vae.encode(sentences.toArray(String[][]::new), iwae, 42);
        String[] rendered = new String[lines.size()];
        java.util.Arrays.fill(rendered, "");
        ObjectMapper mapper = new ObjectMapper();
        for (int k = 0; k < results.length; k++) {
            StrictLineReader.Line line = lines.get(index.get(k));
            rendered[index.get(k)] = json ? mapper.writeValueAsString(row(results[k], line)) : tsv(results[k], line);
        }
        for (String r : rendered) {
            out.println(r);
        }
    }

    private static Map<String, Object> row(SentenceVaeME.Result r, StrictLineReader.Line line) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", line.number());
        m.put("hash", r.hash() == null ? null : r.hash().toHex());
        m.put("logLikelihood", r.logLikelihood());
        m.put("iwaeLogLikelihood", Double.isNaN(r.iwaeLogLikelihood()) ? null : r.iwaeLogLikelihood());
        m.put("modelTokens", r.tokenLogProbs().length + 1);
        m.put("unknownTokens", r.unknownTokens());
        m.put("truncated", r.truncated());
        m.put("invalidUtf8Replaced", line.replaced());
        m.put("type", r.posterior().type().label());
        m.put("code", code(r.posterior()));
        m.put("tokenLogProbs", r.tokenLogProbs());
        return m;
    }

    private static String tsv(SentenceVaeME.Result r, StrictLineReader.Line line) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.hash() == null ? "-" : r.hash().toHex()).append('\t');
        sb.append(String.format(Locale.ROOT, "%.4f\t%.4f\t", r.logLikelihood(), r.iwaeLogLikelihood()));
        sb.append(r.tokenLogProbs().length + 1).append('\t').append(r.unknownTokens()).append('\t').append(r.truncated()).append('\t').append(line.replaced()).append('\t');
        float[] c = code(r.posterior());
        for (int i = 0; i < c.length; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5g", c[i]));
        }
        return sb.toString();
    }

    /** The latent code printed: the Gaussian mean, or the bit/class probabilities. */
    private static float[] code(Posterior q) {
        return q instanceof Posterior.Gaussian g ? g.mean() : q.expectation();
    }
}
