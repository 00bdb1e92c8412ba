package io.latentnlp.annotator.opennlp.cmdline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentnlp.annotator.opennlp.RawTextVae;
import io.latentnlp.annotator.opennlp.SentenceVaeME;
import io.latentnlp.annotator.opennlp.SentenceVaeModel;
import io.latentnlp.models.bundle.BundleException;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.runtime.SentenceVae;
import io.latentnlp.models.text.InvalidUtf8Exception;
import io.latentnlp.models.text.Utf8LineReader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
        String getRaw();

        @ParameterDescription(valueName = "K", description = "importance samples for the IWAE log p(x), 0 = off; default 0.")
        @OptionalParameter(defaultValue = "0")
        Integer getIwae();

        @ParameterDescription(valueName = "tokens", description = "tokens read per sentence, 0 = the model's training maximum; default 0.")
        @OptionalParameter(defaultValue = "0")
        Integer getMaxLength();

        @ParameterDescription(valueName = "true|false", description = "replace invalid UTF-8 bytes and flag the line instead of stopping; default false.")
        @OptionalParameter(defaultValue = "false")
        String getReplaceInvalid();
    }

    @Override
    public String getShortDescription() {
        return "latent code, semantic hash and log-likelihoods of each sentence, with a sentence VAE";
    }

    @Override
    public String getHelp() {
        // OpenNLP's basic help is the usage line and then the parameters; stdin goes on the usage line.
        String basic = getBasicHelp(Params.class);
        int eol = basic.indexOf('\n');
        return (eol < 0 ? basic + " < sentences" : basic.substring(0, eol) + " < sentences" + basic.substring(eol))
                + "\n\nOutput (tsv): hash, log p(x|z), IWAE log p(x) (empty unless -iwae K > 0), tokens read (</s> included), "
                + "unknown tokens, truncated, invalid UTF-8 replaced, latent code (comma-separated: mean or probabilities).";
    }

    /**
     * Reads stdin to its end. With no arguments and a terminal on stdin and stdout (nothing piped
     * in, so nothing to read but what is typed) it prints the usage instead of waiting silently;
     * pass any argument (e.g. {@code -format tsv}) to type sentences. Empty input gives empty
     * output and a note on stderr.
     */
    @Override
    public void run(String[] args) {
        if (args.length == 0 && System.console() != null) {
            throw new TerminateToolException(ToolArguments.USAGE, "SentenceVae reads sentences from stdin, one per line, and stdin is a terminal: "
                    + "pipe or redirect a file into it, or pass any argument (e.g. -format tsv) to type sentences.\n\n" + getHelp());
        }
        Params params = validateAndParseParams(args, Params.class);
        boolean json = switch (params.getFormat()) {
            case "tsv" -> false;
            case "json" -> true;
            default -> throw new TerminateToolException(ToolArguments.USAGE, "illegal value for -format: '" + params.getFormat() + "'; use tsv or json");
        };
        boolean rawText = ToolArguments.bool("raw", params.getRaw());
        boolean replaceInvalid = ToolArguments.bool("replaceInvalid", params.getReplaceInvalid());
        if (params.getIwae() < 0) {
            throw new TerminateToolException(ToolArguments.USAGE, "illegal value for -iwae: " + params.getIwae() + "; must be >= 0");
        }
        if (params.getMaxLength() < 0) {
            throw new TerminateToolException(ToolArguments.USAGE, "illegal value for -maxLength: " + params.getMaxLength() + "; must be >= 0");
        }
        SentenceVaeModel model = load(params.getModel());
        try (model) {
            SentenceVaeME vae = new SentenceVaeME(model, params.getMaxLength());
            RawTextVae raw = rawText ? new RawTextVae(vae, RawTextVae.Tokenization.MAXENT) : null;
            PrintStream out = new PrintStream(new BufferedOutputStream(System.out), false, StandardCharsets.UTF_8);
            PerformanceMonitor perf = new PerformanceMonitor(System.err, "sent");
            perf.start();
            Utf8LineReader reader = new Utf8LineReader(System.in, replaceInvalid);
            List<Utf8LineReader.Line> batch = new ArrayList<>();
            Utf8LineReader.Line line;
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
            if (reader.lines() == 0) {
                System.err.println("SentenceVae: no input: it reads sentences from stdin, one per line (-help for the usage)");
            }
            perf.stopAndPrintFinalResult();
        } catch (InvalidUtf8Exception e) {
            System.out.flush();
            throw new TerminateToolException(FAILURE, "stdin: " + e.getMessage()
                    + "; fix the input or pass -replaceInvalid true to replace bad bytes and flag the line");
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

    private static void write(SentenceVaeME vae, RawTextVae raw, List<Utf8LineReader.Line> lines, int iwae, boolean json, PrintStream out)
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
            Utf8LineReader.Line line = lines.get(index.get(k));
            rendered[index.get(k)] = json ? mapper.writeValueAsString(row(results[k], line, vae.units())) : tsv(results[k], line);
        }
        for (String r : rendered) {
            out.println(r);
        }
    }

    private static Map<String, Object> row(SentenceVaeME.Result r, Utf8LineReader.Line line, String units) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", line.number());
        m.put("hash", r.hash() == null ? null : r.hash().toHex());
        m.put("logLikelihood", r.logLikelihood());
        m.put("iwaeLogLikelihood", Double.isNaN(r.iwaeLogLikelihood()) ? null : r.iwaeLogLikelihood());
        m.put("modelTokens", r.modelTokens());
        m.put("modelUnits", units);
        m.put("unknownTokens", r.unknownTokens());
        m.put("truncated", r.truncated());
        m.put("invalidUtf8Replaced", line.replaced());
        m.put("type", r.posterior().type().label());
        m.put("code", r.posterior().expectation());
        // one per input token, its model units summed; null for a token without units of its own
        m.put("tokenLogProbs", Arrays.stream(r.tokenLogProbs()).mapToObj(v -> Double.isNaN(v) ? null : v).toList());
        return m;
    }

    private static String tsv(SentenceVaeME.Result r, Utf8LineReader.Line line) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.hash() == null ? "-" : r.hash().toHex()).append('\t');
        sb.append(String.format(Locale.ROOT, "%.4f\t", r.logLikelihood()));
        // NaN when -iwae is 0: not asked for, so the column is empty (JSON: null)
        sb.append(Double.isNaN(r.iwaeLogLikelihood()) ? "" : String.format(Locale.ROOT, "%.4f", r.iwaeLogLikelihood())).append('\t');
        sb.append(r.modelTokens()).append('\t').append(r.unknownTokens()).append('\t').append(r.truncated()).append('\t').append(line.replaced()).append('\t');
        float[] c = r.posterior().expectation();
        for (int i = 0; i < c.length; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5g", c[i]));
        }
        return sb.toString();
    }
}
