package io.latentnlp.annotator.corenlp.bench;

import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import io.latentnlp.annotator.corenlp.VaeAnnotator;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Sentences per second of CoreNLP pipelines with and without the VAE annotator on the same
 * documents in the same run: {@code tokenize,ssplit}, {@code tokenize,ssplit,vae} and the same
 * with IWAE samples. Each configuration annotates every document once to warm up, then {@code
 * repeats} times measured (the median is reported). Beside wall-clock time, each pass's CPU time
 * of the annotating thread: with one ONNX Runtime thread ({@code vae.nthreads = 1}) every
 * operator runs on that thread, so CPU time is the pipeline's own cost even when other jobs share
 * the cores, where wall time also counts the waits for a core. Not a test.
 */
public final class PipelineBenchmark {

    /**
     * One measured pipeline.
     *
     * @param cpuSecondsMedian the median pass's CPU time of the annotating thread (JVM thread CPU time)
     */
    public record Row(String pipeline, int documents, long sentences, double secondsMedian, double sentencesPerSecond, double cpuSecondsMedian) {}

    private PipelineBenchmark() {}

    public static List<Row> run(String model, List<String> documents, int iwaeSamples, int repeats, int threads, PrintStream log) {
        List<Row> rows = new ArrayList<>();
        rows.add(measure("tokenize,ssplit", props(null, 0, threads), documents, repeats, log));
        rows.add(measure("tokenize,ssplit,vae", props(model, 0, threads), documents, repeats, log));
        if (iwaeSamples > 0) {
            rows.add(measure("tokenize,ssplit,vae (iwae.samples=" + iwaeSamples + ")", props(model, iwaeSamples, threads), documents, repeats, log));
        }
        return rows;
    }

    private static Properties props(String model, int iwae, int threads) {
        Properties p = new Properties();
        p.setProperty("annotators", model == null ? "tokenize,ssplit" : "tokenize,ssplit,vae");
        if (model != null) {
            p.setProperty("customAnnotatorClass.vae", VaeAnnotator.class.getName());
            p.setProperty("vae.model", model);
            p.setProperty("vae.iwae.samples", Integer.toString(iwae));
            p.setProperty("vae.nthreads", Integer.toString(threads));
        }
        return p;
    }

    private static Row measure(String name, Properties props, List<String> documents, int repeats, PrintStream log) {
        StanfordCoreNLP pipeline = new StanfordCoreNLP(props);
        long sentences = 0;
        for (String d : documents) { // warm-up, and the sentence count
            Annotation a = new Annotation(d);
            pipeline.annotate(a);
            sentences += a.get(edu.stanford.nlp.ling.CoreAnnotations.SentencesAnnotation.class).size();
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        double[] secs = new double[repeats];
        double[] cpu = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t = System.nanoTime();
            long c = threads.getCurrentThreadCpuTime();
            for (String d : documents) {
                pipeline.annotate(new Annotation(d));
            }
            cpu[r] = (threads.getCurrentThreadCpuTime() - c) / 1e9;
            secs[r] = (System.nanoTime() - t) / 1e9;
        }
        java.util.Arrays.sort(secs);
        java.util.Arrays.sort(cpu);
        double median = secs[repeats / 2];
        double cpuMedian = cpu[repeats / 2];
        log.printf(Locale.ROOT, "%-45s %,d sentences in %.2f s (%.2f CPU s on the annotating thread): %,.0f sentences/s%n", name, sentences, median,
                cpuMedian, sentences / median);
        return new Row(name, documents.size(), sentences, median, sentences / median, cpuMedian);
    }

    /** Markdown table. */
    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| pipeline | documents | sentences | seconds (median) | sentences/s | relative | CPU s (median) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        double base = rows.get(0).sentencesPerSecond();
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| `%s` | %d | %,d | %.2f | %,.0f | %.2f | %.2f |%n", r.pipeline(), r.documents(), r.sentences(), r.secondsMedian(),
                    r.sentencesPerSecond(), r.sentencesPerSecond() / base, r.cpuSecondsMedian()));
        }
        return sb.toString();
    }
}
