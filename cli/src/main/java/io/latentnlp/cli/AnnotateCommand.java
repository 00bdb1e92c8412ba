package io.latentnlp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import edu.stanford.nlp.util.CoreMap;
import io.latentnlp.annotator.corenlp.VaeAnnotations;
import io.latentnlp.annotator.corenlp.VaeAnnotator;
import io.latentnlp.annotator.corenlp.VaeJsonOutputter;
import io.latentnlp.models.bundle.BundleException;
import io.latentnlp.models.bundle.Manifest;
import io.latentnlp.models.bundle.ShippedModels;
import io.latentnlp.models.hash.SemanticHash;
import io.latentnlp.models.latent.Posterior;
import io.latentnlp.models.text.InvalidUtf8Exception;
import io.latentnlp.models.text.StrictUtf8;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code latent-nlp annotate}: runs a CoreNLP pipeline (tokenize, ssplit, vae) over text files
 * and prints, per file, the latent code, semantic hash and likelihoods of every sentence as JSON.
 */
@Command(name = "annotate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Annotates text files with a sentence VAE in a CoreNLP pipeline and prints JSON.",
            "The pipeline is tokenize,ssplit,vae; files are UTF-8 ('-' or none = stdin). One JSON object per file: the document hash",
            "and, per sentence, its text, hash, log p(x|z) (total and per token), token and unknown-token counts and the latent code",
            "(Bernoulli probabilities or Gaussian means). --format corenlp prints CoreNLP's own JSON with the same fields added",
            "(every token, offsets and per-token log-probabilities)."})
final class AnnotateCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(paramLabel = "FILE", description = "Text files ('-' = stdin; none = stdin).")
    List<String> files = new ArrayList<>();

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", defaultValue = ShippedModels.DEFAULT,
            description = LatentNlp.MODEL_HELP + "; default ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--iwae", defaultValue = "0", paramLabel = "K",
            description = "Importance samples for an IWAE estimate of log p(x) per sentence, 0 = off (default: ${DEFAULT-VALUE}).")
    int iwae;

    @Option(names = "--format", defaultValue = "compact", description = "compact (the fields above) or corenlp (CoreNLP's JSON plus the VAE's fields); default ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--threads", defaultValue = "1", description = "ONNX Runtime threads, at least 1 (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        UsageException.oneOf("--format", format, "compact", "corenlp");
        UsageException.atLeast("--iwae", iwae, 0);
        UsageException.atLeast("--threads", threads, 1);
        List<String> inputs = files.isEmpty() ? List.of("-") : files;
        List<String> texts = new ArrayList<>();
        for (String f : inputs) {
            texts.add(read(f)); // every input is read and checked before the model is loaded
        }
        Properties props = new Properties();
        props.setProperty("annotators", "tokenize,ssplit,vae");
        props.setProperty("customAnnotatorClass.vae", VaeAnnotator.class.getName());
        props.setProperty("vae.model", model);
        props.setProperty("vae.iwae.samples", Integer.toString(iwae));
        props.setProperty("vae.nthreads", Integer.toString(threads));
        // The annotator is made here, not found in CoreNLP's JVM-wide pool by name: the pool may hold
        // another pipeline's "vae" (one with other properties, or one that failed to load its model).
        VaeAnnotator vae;
        StanfordCoreNLP pipeline;
        try {
            vae = new VaeAnnotator("vae", props);
            vae.requires(); // the annotator's own error (bad property, missing or corrupt model)
            Properties tokens = new Properties();
            tokens.putAll(props);
            tokens.setProperty("annotators", "tokenize,ssplit");
            pipeline = new StanfordCoreNLP(tokens);
            pipeline.addAnnotator(vae);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(annotatorError(e), e);
        }
        Manifest manifest = vae.model().bundle().manifest();
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        for (int i = 0; i < inputs.size(); i++) {
            Annotation doc = new Annotation(texts.get(i));
            pipeline.annotate(doc);
            if (format.equals("corenlp")) {
                new VaeJsonOutputter().print(doc, out, new edu.stanford.nlp.pipeline.AnnotationOutputter.Options(true));
            } else {
                out.println(JSON.writeValueAsString(compact(inputs.get(i), manifest, doc)));
            }
        }
        out.flush();
        return 0;
    }

    /**
     * What to report when the pipeline cannot be built. CoreNLP wraps the annotator's error in
     * reflection errors; the outermost {@link BundleException} names the bundle (and, for a base,
     * the bundle naming it), and an {@link IllegalArgumentException} names a bad property, where the
     * root cause (a {@code ZipException}, an I/O or Jackson error) names neither.
     */
    static String annotatorError(Throwable e) {
        Throwable property = null;
        Throwable root = e;
        Throwable t = e;
        for (int depth = 0; t != null && depth < 64; t = t.getCause(), depth++) { // 64: a cause chain that loops ends too
            if (t instanceof BundleException) {
                return t.getMessage();
            }
            if (property == null && t instanceof IllegalArgumentException && t.getMessage() != null) {
                property = t;
            }
            root = t;
        }
        Throwable shown = property != null ? property : root;
        return shown.getMessage() == null ? String.valueOf(e.getMessage()) : shown.getMessage();
    }

    /** The compact JSON of one annotated document. */
    static ObjectNode compact(String file, Manifest manifest, Annotation doc) {
        ObjectNode root = JSON.createObjectNode();
        root.put("file", file);
        if (manifest != null) {
            root.put("model", manifest.name());
            root.put("latent", manifest.latent().type().label() + " " + manifest.latent().dim());
        }
        SemanticHash dh = doc.get(VaeAnnotations.DocumentHashAnnotation.class);
        root.put("documentHash", dh == null ? null : dh.toHex());
        ArrayNode sentences = root.putArray("sentences");
        for (CoreMap s : doc.get(CoreAnnotations.SentencesAnnotation.class)) {
            ObjectNode js = sentences.addObject();
            List<CoreLabel> tokens = s.get(CoreAnnotations.TokensAnnotation.class);
            js.put("text", String.join(" ", tokens.stream().map(CoreLabel::word).toList()));
            SemanticHash h = s.get(VaeAnnotations.HashAnnotation.class);
            js.put("hash", h == null ? null : h.toHex());
            int n = s.get(VaeAnnotations.ModelTokenCountAnnotation.class);
            double logp = s.get(VaeAnnotations.LogLikelihoodAnnotation.class);
            js.put("logLikelihood", round(logp));
            js.put("logLikelihoodPerToken", round(logp / n));
            Double iw = s.get(VaeAnnotations.IwaeLogLikelihoodAnnotation.class);
            if (iw != null) {
                js.put("iwaeLogLikelihood", round(iw));
                js.put("iwaeLogLikelihoodPerToken", round(iw / n));
            }
            js.put("modelTokens", n);
            js.put("modelUnits", s.get(VaeAnnotations.ModelUnitsAnnotation.class));
            js.put("unknownTokens", s.get(VaeAnnotations.UnknownTokenCountAnnotation.class));
            js.put("truncated", s.get(VaeAnnotations.TruncatedAnnotation.class));
            Posterior q = s.get(VaeAnnotations.PosteriorAnnotation.class);
            ArrayNode code = js.putArray(q.expectationName());
            for (float v : q.expectation()) {
                code.add(round(v));
            }
        }
        return root;
    }

    private static double round(double v) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.4g", v));
    }

    /** A file (or stdin for "-") decoded as strict UTF-8; a bad byte is reported with its offset and line. */
    static String read(String file) throws IOException {
        byte[] bytes;
        if (file.equals("-")) {
            bytes = System.in.readAllBytes();
        } else {
            Path path = Path.of(file);
            if (Files.isDirectory(path)) {
                throw new IllegalArgumentException(file + ": is a directory; give the text files in it (e.g. " + path.resolve("*.txt") + ")");
            }
            try {
                bytes = Files.readAllBytes(path);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException(file + ": no such file");
            } catch (IOException e) {
                throw new IOException(file + ": cannot read: " + e.getMessage(), e);
            }
        }
        try {
            return StrictUtf8.decodeText(bytes);
        } catch (InvalidUtf8Exception e) {
            throw new IllegalArgumentException((file.equals("-") ? "stdin" : file) + ": " + e.getMessage() + "; the file must be UTF-8 text", e);
        }
    }
}
